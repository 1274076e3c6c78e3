"""One warm handover on a staff screen: when, where, who, the invitees' answers, and what
can be done from there: move it (its own request searched again), cancel it, and record
what happened once it began. Every view and change is written to the audit log."""

from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.response import Response, Template

from booking.db.tables import Appointment
from booking.domain.errors import N_, LoketError
from booking.domain.policy import Policy
from booking.i18n import gettext
from booking.services import changes
from booking.services.audit import trail
from booking.services.calendars.mail_answers import proposals
from booking.services.handovers import bookings as handovers
from booking.services.handovers.plans import find_times, stored_request
from booking.services.handovers.setup import agency_info
from booking.services.point_setup import Catalog
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.errors import status_of
from booking.web.staff.admin.forms import DATE, Field, Values, read, values_of
from booking.web.staff.admin.people import MODES
from booking.web.staff.auth import StaffAuthentication, account
from booking.web.staff.desk import labels, staff_page, topic_names
from booking.web.staff.handovers.api import visible_handover
from booking.web.staff.handovers.form import (
    ANSWERS,
    OUTCOMES,
    PLACES,
    by_day,
    checked_days,
    chosen_start,
    decliners,
    message_of,
)
from booking.web.staff.handovers.shapes import handover_out
from booking.web.templating import redirect_see_other
from booking.worker import InProcess

NOTICES = {
    "booked": N_("Booked. The invitations are on their way."),
    "moved": N_("Moved. Everyone invited gets the new time."),
    "cancelled": N_("Cancelled. Everyone invited gets a cancellation."),
    "recorded": N_("Saved what happened."),
}


def names(choices: dict[str, str]) -> dict[str, str]:
    return {value: gettext(label) for value, label in choices.items()}


def day_fields() -> list[Field]:
    return [
        Field("from", gettext("From"), DATE, True, example="2026-12-01"),
        Field("to", gettext("Until"), DATE, True, example="2026-12-14"),
    ]


class StaffHandover(Controller):
    path = "/staff/handovers"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    async def _page(
        self,
        request: Request,
        catalog: Catalog,
        policy: Policy,
        clock: Clock,
        appointment_id: int,
        *,
        error: LoketError | None = None,
    ) -> Template:
        view, point = await visible_handover(catalog, request, appointment_id)
        now = clock()
        await trail.record(
            account(request).id, trail.VIEWED_APPOINTMENT, f"appointment:{view.id}", now
        )
        notice = NOTICES.get(request.query_params.get("notice", ""))
        text = labels()
        shown = staff_page(
            request,
            "staff/handover.html",
            status_code=status_of(error) if error else 200,
            view=view,
            h=handover_out(view, point, policy, await proposals(view.id, view.sequence)),
            point=point,
            agency=await agency_info(view.agency_id),
            topics=await topic_names(catalog),
            tz=point.tz,
            decliners=decliners(view),
            changeable=view.status == Appointment.CONFIRMED and view.starts_at > now,
            recordable=view.status in handovers.RECORDABLE and view.starts_at <= now,
            places=names(PLACES),
            modes=names(MODES),
            outcomes=names(OUTCOMES),
            answers=names(ANSWERS),
            roles=text["roles"],
            statuses=text["statuses"],
        )
        shown.context.update(
            notice=gettext(notice) if notice and not error else None,
            error=gettext(error.message, **error.params) if error else None,
        )
        return shown

    @get("/{appointment_id:int}")
    async def one(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        return await self._page(request, catalog, policy, clock, appointment_id)

    async def _move_page(
        self,
        request: Request,
        catalog: Catalog,
        policy: Policy,
        clock: Clock,
        appointment_id: int,
        values: Values,
        error: LoketError | None = None,
    ) -> Template:
        """The handover's own request searched again over the chosen days."""
        view, point = await visible_handover(catalog, request, appointment_id)
        now = clock()
        await trail.record(
            account(request).id, trail.VIEWED_APPOINTMENT, f"appointment:{view.id}", now
        )
        times, found = None, day_fields()
        try:
            days = read(found, values)
            checked_days(found, days)
            stored, _ = await stored_request(
                {"id": view.id, "point": view.point_id, "topic": view.topic_id,
                 "starts_at": view.starts_at, "ends_at": view.ends_at}
            )  # fmt: skip
            times = await find_times(
                catalog, policy, stored, first=days["from"], last=days["to"], now=now
            )
        except LoketError as failed:
            error = error or failed
        shown = staff_page(
            request,
            "staff/handover_move.html",
            status_code=status_of(error) if error else 200,
            view=view,
            point=point,
            tz=point.tz,
            fields={f.name: f for f in found},
            values=values,
            times=by_day(times, point.tz) if times is not None else None,
        )
        shown.context["error"] = message_of(error, found) if error else None
        return shown

    @get("/{appointment_id:int}/move")
    async def move_form(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        query = request.query_params
        if "from" in query:
            values: Values = query
        else:
            today = clock().date()
            values = values_of([("from", today), ("to", today + timedelta(days=13))])
        return await self._move_page(request, catalog, policy, clock, appointment_id, values)

    @post("/{appointment_id:int}/move")
    async def move(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        await visible_handover(catalog, request, appointment_id)
        form, now = await request.form(), clock()
        try:
            start = chosen_start(form.get("start", ""))
            await handovers.reschedule(catalog, policy, appointment_id, start, now=now)
        except LoketError as error:
            return await self._move_page(
                request, catalog, policy, clock, appointment_id, form, error
            )
        await trail.record(
            account(request).id, trail.CHANGED_TIME, f"appointment:{appointment_id}", now
        )
        worker.wake()
        return redirect_see_other(f"/staff/handovers/{appointment_id}?notice=moved")

    @post("/{appointment_id:int}/cancel")
    async def cancel(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        await visible_handover(catalog, request, appointment_id)
        now = clock()
        try:
            await changes.cancel(catalog, policy, appointment_id, now=now)
        except LoketError as error:
            return await self._page(request, catalog, policy, clock, appointment_id, error=error)
        await trail.record(
            account(request).id, trail.CANCELLED, f"appointment:{appointment_id}", now
        )
        worker.wake()
        return redirect_see_other(f"/staff/handovers/{appointment_id}?notice=cancelled")

    @post("/{appointment_id:int}/outcome")
    async def outcome(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Response:
        await visible_handover(catalog, request, appointment_id)
        outcome, now = str((await request.form()).get("outcome", ""))[:20], clock()
        try:
            await handovers.record_outcome(appointment_id, outcome, now=now)
        except LoketError as error:
            return await self._page(request, catalog, policy, clock, appointment_id, error=error)
        await trail.record(
            account(request).id,
            trail.RECORDED_OUTCOME,
            f"appointment:{appointment_id}:{outcome}",
            now,
        )
        return redirect_see_other(f"/staff/handovers/{appointment_id}?notice=recorded")
