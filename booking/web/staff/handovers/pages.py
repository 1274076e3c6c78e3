"""Warm handovers on staff screens, the booking side: the list (declined ones on top) and a
form that finds the times the agency, an interpreter and the consultant share and books one.
One handover's own page is in handover_followup.py.

The rules live in the services the handover API uses too; this module reads the form, shows
errors in place (with the status the API would give) and writes every view to the audit log.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.response import Response, Template

from booking.domain.errors import AppointmentNotFound, LoketError
from booking.domain.opening_hours import local_day_bounds, zone
from booking.domain.policy import Policy
from booking.services import views
from booking.services.audit import trail
from booking.services.handovers import bookings as handovers
from booking.services.handovers import views as handover_views
from booking.services.handovers.plans import find_times
from booking.services.point_setup import Catalog
from booking.web.context import Clock
from booking.web.errors import status_of
from booking.web.staff.admin.forms import Field, Values
from booking.web.staff.auth import StaffAuthentication, account, require_region
from booking.web.staff.desk import (
    declined_handovers,
    labels,
    number,
    staff_page,
    topic_names,
    visible_points,
)
from booking.web.staff.handovers.form import (
    Origin,
    agency_choices,
    by_day,
    chosen_start,
    consultant_choices,
    decliners,
    fields,
    initial_values,
    message_of,
    offered,
    origin_of,
    read_request,
)
from booking.web.templating import redirect_see_other
from booking.worker import InProcess

#: The list shows this many days from today.
LIST_DAYS = 28


class StaffHandovers(Controller):
    path = "/staff/handovers"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    @get("/")
    async def list_handovers(
        self,
        request: Request,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        now = clock()
        points = await visible_points(catalog, request)
        tz = points[0].tz if points else zone("Europe/Amsterdam")
        today = now.astimezone(tz).date()
        span = local_day_bounds(today, today + timedelta(days=LIST_DAYS - 1), tz)
        found = await handover_views.handovers(
            [p.id for p in points], starting=span.start, before=span.end
        )
        declined = await declined_handovers(points, now, policy)
        await trail.record(account(request).id, trail.VIEWED_HANDOVERS, "handovers", now)
        return staff_page(
            request,
            "staff/handovers.html",
            handovers=found,
            declined=[(v, decliners(v)) for v in declined],
            points={p.id: p for p in points},
            topics=await topic_names(catalog),
            statuses=labels()["statuses"],
            days=LIST_DAYS,
        )

    async def _origin(self, catalog: Catalog, request: Request, raw: str | None) -> Origin | None:
        """The migrant's appointment named by the form, if it is in the account's region."""
        if not raw:
            return None
        view = await views.get(catalog, number(raw))
        require_region(account(request), view.point.region_id, AppointmentNotFound("token"))
        return origin_of(view)

    async def _form(
        self,
        request: Request,
        catalog: Catalog,
        clock: Clock,
        values: Values,
        origin: Origin | None,
    ) -> tuple[list[Field], dict]:
        """The form's fields for these values and what else its page shows."""
        me = account(request)
        points = await visible_points(catalog, request)
        chosen = next((p for p in points if str(p.id) == values.get("point")), None)
        agencies = await agency_choices(me, chosen.region_id if chosen else None)
        topics = await topic_names(catalog)
        consultants = await consultant_choices(me) if me.staff_id is None else []
        kwargs = dict(points=points, topics=topics, consultants=consultants, origin=origin)
        reading = fields(me, agencies=offered(agencies, None), **kwargs)
        shown = fields(me, agencies=offered(agencies, number(values.get("topic"))), **kwargs)
        if origin is not None:
            subject = f"appointment:{origin.id}"
            await trail.record(me.id, trail.VIEWED_APPOINTMENT, subject, clock())
        context = {
            "fields": {f.name: f for f in shown},
            "values": values,
            "origin": origin,
            "tz": chosen.tz if chosen else (points[0].tz if points else zone("Europe/Amsterdam")),
        }
        return reading, context

    def _form_page(
        self,
        request: Request,
        context: dict,
        *,
        times: list[datetime] | None = None,
        error: str | None = None,
        status: int = 200,
    ) -> Template:
        shown = staff_page(
            request,
            "staff/handover_new.html",
            status_code=status,
            **context,
            times=by_day(times, context["tz"]) if times is not None else None,
        )
        shown.context["error"] = error
        return shown

    @get("/new")
    async def new_handover(
        self, request: Request, catalog: NamedDependency[Catalog], clock: NamedDependency[Clock]
    ) -> Template:
        query = request.query_params
        origin = await self._origin(catalog, request, query.get("appointment"))
        points = await visible_points(catalog, request)
        asked = number(query.get("point"))
        point_id = asked if any(p.id == asked for p in points) else None
        if point_id is None and len(points) == 1:
            point_id = points[0].id
        today = clock().astimezone(points[0].tz if points else zone("Europe/Amsterdam")).date()
        values = initial_values(account(request), origin, point_id, today)
        _, context = await self._form(request, catalog, clock, values, origin)
        return self._form_page(request, context)

    @post("/times")
    async def find(
        self,
        request: Request,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        form = await request.form()
        origin = await self._origin(catalog, request, form.get("appointment"))
        reading, context = await self._form(request, catalog, clock, form, origin)
        try:
            asked = read_request(account(request), reading, form, origin)
            times = await find_times(
                catalog, policy, asked.request, first=asked.first, last=asked.last, now=clock()
            )
        except LoketError as error:
            message = message_of(error, reading)
            return self._form_page(request, context, error=message, status=status_of(error))
        return self._form_page(request, context, times=times)

    @post("/")
    async def book(
        self,
        request: Request,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        me, now, form = account(request), clock(), await request.form()
        origin = await self._origin(catalog, request, form.get("appointment"))
        reading, context = await self._form(request, catalog, clock, form, origin)
        asked = None
        try:
            asked = read_request(me, reading, form, origin)
            start = chosen_start(form.get("start", ""))
            appointment_id = await handovers.book(catalog, policy, asked.request, start, now=now)
        except LoketError as error:
            times = None
            if asked is not None:  # the times still free, to choose again at once
                try:
                    times = await find_times(
                        catalog, policy, asked.request, first=asked.first, last=asked.last, now=now
                    )
                except LoketError:
                    times = None
            message = message_of(error, reading)
            return self._form_page(
                request, context, times=times, error=message, status=status_of(error)
            )
        await trail.record(me.id, trail.BOOKED_HANDOVER, f"appointment:{appointment_id}", now)
        worker.wake()
        return redirect_see_other(f"/staff/handovers/{appointment_id}?notice=booked")
