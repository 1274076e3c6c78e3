"""Booking desk actions: walk-ins, booking for a caller, moving and cancelling by staff.

Staff bookings are confirmed at once (no SMS code); the migrant hears about each change by
text message through the outbox. Each action is written to the audit log.
"""

from __future__ import annotations

from datetime import date, datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.response import Response, Template

from booking.db.tables import Appointment, MigrantContact
from booking.domain.errors import AppointmentNotFound
from booking.domain.policy import Policy
from booking.domain.week_layout import week_label
from booking.services import changes, views
from booking.services.appointments import BookingRequest, book_confirmed
from booking.services.audit import trail
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from booking.services.views import AppointmentView
from booking.web.bounds import PathId, supported
from booking.web.context import Clock
from booking.web.staff.auth import StaffAuthentication, account, require_region
from booking.web.staff.desk import (
    Form,
    WalkInForm,
    desk_point,
    number,
    service_languages,
    staff_page,
    topic_names,
)
from booking.web.steps import parse_day
from booking.web.templating import redirect_see_other
from booking.worker import InProcess


def back_to(data: dict[str, str], point_id: int, booked: AppointmentView) -> str | None:
    """Back to the week calendar at the new block when the booking was made from it."""
    if data.get("back") != "week":
        return None
    day = booked.starts_at.astimezone(booked.point.tz).date()
    return f"/staff/points/{point_id}/week?week={week_label(day)}#appointment-{booked.id}"


class StaffBookings(Controller):
    path = "/staff"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    @post("/points/{point_id:int}/walk-in")
    async def walk_in(
        self,
        request: Request,
        point_id: PathId,
        data: Form,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        me = account(request)
        point = await desk_point(catalog, request, point_id)
        form, now = WalkInForm.read(data), clock()
        booked = await book_confirmed(
            catalog,
            policy,
            BookingRequest(
                point_id=point.id,
                topic_id=form.topic_id,
                language=form.language,
                start=now,
                phone=form.phone,
                first_name=form.first_name,
                channel=Appointment.WALK_IN,
            ),
            now=now,
        )
        await trail.record(me.id, trail.BOOKED_FOR_CALLER, f"appointment:{booked.id}", now)
        worker.wake()
        return redirect_see_other(
            back_to(data, point.id, booked)
            or f"/staff/points/{point.id}/agenda#appointment-{booked.id}"
        )

    @get("/points/{point_id:int}/book")
    async def book_form(
        self,
        request: Request,
        point_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        point = await desk_point(catalog, request, point_id)
        topics = await topic_names(catalog)
        query = request.query_params
        topic_id = number(query.get("topic")) or next(iter(topics), 0)
        language = query.get("language") or "pl"
        day = query.get("day") or str(clock().date())
        slots = None
        if "day" in query:
            asked = parse_day(day)
            _, slots = await search_slots(
                catalog, policy, point_id=point.id, topic_id=topic_id, language=language,
                first=asked, last=asked, now=clock(),
            )  # fmt: skip
        return staff_page(
            request, "staff/book.html", point=point, topics=topics, topic_id=topic_id, language=language,
            languages=service_languages(), day=day, slots=slots, tz=point.tz, phone="", first_name="",
        )  # fmt: skip

    @post("/points/{point_id:int}/book")
    async def book(
        self,
        request: Request,
        point_id: PathId,
        data: Form,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        me = account(request)
        point = await desk_point(catalog, request, point_id)
        now = clock()
        try:
            start = supported(datetime.fromisoformat(data.get("start", "")), "start")
        except ValueError:
            start = now
        booked = await book_confirmed(
            catalog,
            policy,
            BookingRequest(
                point_id=point.id,
                topic_id=number(data.get("topic")),
                language=data.get("language", ""),
                start=start,
                phone=data.get("phone", "")[:32],
                first_name=data.get("first_name", "")[:200] or None,
                channel=Appointment.PHONE,
                text_channel=data.get("text_channel") or MigrantContact.SMS,
            ),
            now=now,
        )
        await trail.record(me.id, trail.BOOKED_FOR_CALLER, f"appointment:{booked.id}", now)
        worker.wake()
        day = booked.starts_at.astimezone(point.tz).date()
        return redirect_see_other(
            back_to(data, point.id, booked)
            or f"/staff/points/{point.id}/agenda?day={day}#appointment-{booked.id}"
        )

    @get("/appointments/{appointment_id:int}/move")
    async def move_form(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        view = await views.get(catalog, appointment_id)
        require_region(account(request), view.point.region_id, AppointmentNotFound("token"))
        asked = request.query_params.get("day")
        try:
            day = (
                supported(date.fromisoformat(asked), "day")
                if asked
                else view.starts_at.astimezone(view.point.tz).date()
            )
        except ValueError:
            day = clock().date()
        _, slots = await search_slots(
            catalog, policy, point_id=view.point.id, topic_id=view.topic.id, language=view.language,
            first=day, last=day, now=clock(),
        )  # fmt: skip
        return staff_page(
            request, "staff/move.html", appointment=view, tz=view.point.tz, day=day, slots=slots
        )

    @post("/appointments/{appointment_id:int}/move")
    async def move(
        self,
        request: Request,
        appointment_id: PathId,
        data: Form,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        me = account(request)
        view = await views.get(catalog, appointment_id)
        require_region(me, view.point.region_id, AppointmentNotFound("token"))
        try:
            start = supported(datetime.fromisoformat(data.get("start", "")), "start")
        except ValueError:
            start = clock()
        await changes.reschedule(catalog, policy, appointment_id, start, now=clock())
        await trail.record(me.id, trail.CHANGED_TIME, f"appointment:{appointment_id}", clock())
        worker.wake()
        return redirect_see_other(f"/staff/appointments/{appointment_id}")

    @post("/appointments/{appointment_id:int}/cancel")
    async def cancel(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        me = account(request)
        view = await views.get(catalog, appointment_id)
        require_region(me, view.point.region_id, AppointmentNotFound("token"))
        await changes.cancel(catalog, policy, appointment_id, now=clock())
        await trail.record(me.id, trail.CANCELLED, f"appointment:{appointment_id}", clock())
        worker.wake()
        return redirect_see_other(f"/staff/appointments/{appointment_id}")
