"""The handover API: find a time the agency, an interpreter and the consultant share, book it,
move or cancel it, and record what happened. Staff login (Bearer) and region scoping."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from booking.domain.errors import AppointmentNotFound, InvalidDateRange
from booking.domain.policy import Policy
from booking.services import changes, views
from booking.services.audit import trail
from booking.services.calendars.mail_answers import proposals
from booking.services.handovers import bookings as handovers
from booking.services.handovers import views as handover_views
from booking.services.handovers.plans import HandoverRequest, find_times
from booking.services.handovers.views import HandoverView
from booking.services.point_setup import Catalog, PointInfo
from booking.web.bounds import Id, OptionalQueryId, PathId, QueryId, supported
from booking.web.context import Clock
from booking.web.schemas import LanguageCode, RescheduleIn
from booking.web.staff.auth import StaffAuthentication, account, require_region
from booking.web.staff.desk import point_of, visible_points
from booking.web.staff.handovers.shapes import HandoverOut, TimeOut, TimesOut, handover_out
from booking.worker import InProcess

Place = Literal["agency", "point", "video"]
Mode = Literal["on_site", "phone", "video"]
Minutes = Annotated[int, msgspec.Meta(ge=15, le=240)]


class HandoverIn(msgspec.Struct, forbid_unknown_fields=True):
    """A handover to book. The migrant: ``appointment`` (theirs, at the point) or ``phone``
    and ``language``. No interpreter when ``interpreter_language`` is left out."""

    point: Id
    agency: Id
    topic: Id
    #: With its UTC offset, e.g. 2026-12-01T18:30:00+01:00.
    start: datetime
    duration_minutes: Minutes = 60
    place: Place = "agency"
    #: Defaults to the logged-in consultant.
    consultant: Id | None = None
    consultant_joins: bool = True
    interpreter_language: LanguageCode | None = None
    interpreter_mode: Mode | None = None
    #: A particular interpreter; else whoever is free.
    interpreter: Id | None = None
    #: Shared with the agency, only with the migrant's consent.
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""
    appointment: Id | None = None
    phone: Annotated[str, msgspec.Meta(min_length=3, max_length=32)] | None = None
    language: LanguageCode | None = None


class OutcomeIn(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Literal["took_place", "migrant_absent", "agency_absent", "moved"]


#: A list covers at most this many days.
MAX_LIST_DAYS = 62


async def visible_handover(
    catalog: Catalog, request: Request, appointment_id: int
) -> tuple[HandoverView, PointInfo]:
    """The handover, if it belongs to a point of the caller's region."""
    view = await handover_views.handover(appointment_id)
    return view, await point_of(catalog, request, view.point_id, AppointmentNotFound("handover"))


async def _visible_appointment(catalog: Catalog, request: Request, appointment_id: int) -> None:
    """The migrant's appointment a handover follows must be in the caller's region too."""
    found = await views.get(catalog, appointment_id)
    require_region(account(request), found.point.region_id, AppointmentNotFound("token"))


class HandoverApi(Controller):
    path = "/api/handovers"
    tags = ["handovers"]
    middleware = [DefineMiddleware(StaffAuthentication)]

    @get("/slots", summary="Times when the agency, an interpreter and the consultant are free")
    async def slots(
        self,
        request: Request,
        point: QueryId,
        agency: QueryId,
        topic: QueryId,
        first: Annotated[date, QueryParameter(name="from")],
        last: Annotated[date, QueryParameter(name="to")],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        duration_minutes: Annotated[int, QueryParameter(ge=15, le=240)] = 60,
        place: Annotated[Place, QueryParameter()] = "agency",
        consultant: OptionalQueryId = None,
        consultant_joins: Annotated[bool, QueryParameter()] = True,
        interpreter_language: Annotated[
            str | None, QueryParameter(min_length=2, max_length=12)
        ] = None,
        interpreter_mode: Annotated[Mode | None, QueryParameter()] = None,
        interpreter: OptionalQueryId = None,
    ) -> TimesOut:
        info = await point_of(catalog, request, point)
        wanted = HandoverRequest(
            point_id=info.id,
            agency_id=agency,
            topic_id=topic,
            place=place,
            duration=timedelta(minutes=duration_minutes),
            consultant_id=consultant or account(request).staff_id,
            consultant_joins=consultant_joins,
            interpreter_language=interpreter_language,
            interpreter_mode=interpreter_mode,
            interpreter_id=interpreter,
        )
        starts = await find_times(
            catalog,
            policy,
            wanted,
            first=supported(first, "from"),
            last=supported(last, "to"),
            now=clock(),
        )
        length = wanted.duration
        return TimesOut(
            timezone=info.timezone,
            times=[
                TimeOut(s.astimezone(info.tz), (s + length).astimezone(info.tz)) for s in starts
            ],
        )

    @post("/", status_code=HTTP_201_CREATED, summary="Book a handover; invites go out by e-mail")
    async def book(
        self,
        request: Request,
        data: JSONBody[HandoverIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> HandoverOut:
        info = await point_of(catalog, request, data.point)
        if data.appointment is not None:
            await _visible_appointment(catalog, request, data.appointment)
        now = clock()
        appointment_id = await handovers.book(
            catalog,
            policy,
            HandoverRequest(
                point_id=info.id,
                agency_id=data.agency,
                topic_id=data.topic,
                place=data.place,
                duration=timedelta(minutes=data.duration_minutes),
                consultant_id=data.consultant or account(request).staff_id,
                consultant_joins=data.consultant_joins,
                interpreter_language=data.interpreter_language,
                interpreter_mode=data.interpreter_mode,
                interpreter_id=data.interpreter,
                note=data.note,
                origin_id=data.appointment,
                phone=data.phone,
                language=data.language,
            ),
            supported(data.start, "start"),
            now=now,
            require_emails=True,
        )
        await trail.record(
            account(request).id, trail.BOOKED_HANDOVER, f"appointment:{appointment_id}", now
        )
        worker.wake()
        return handover_out(await handover_views.handover(appointment_id), info, policy)

    @get("/", summary="This region's handovers in a date range; ?declined=true: to act on")
    async def list_handovers(
        self,
        request: Request,
        first: Annotated[date, QueryParameter(name="from")],
        last: Annotated[date, QueryParameter(name="to")],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        declined: Annotated[bool, QueryParameter()] = False,
    ) -> list[HandoverOut]:
        supported(first, "from"), supported(last, "to")
        if last < first or (last - first).days > MAX_LIST_DAYS:
            raise InvalidDateRange("to", days=MAX_LIST_DAYS)
        points = {p.id: p for p in await visible_points(catalog, request)}
        margin = timedelta(days=1)
        found = await handover_views.handovers(
            list(points),
            starting=datetime.combine(first - margin, time(), UTC),
            before=datetime.combine(last + margin * 2, time(), UTC),
            declined_only=declined,
        )
        await trail.record(account(request).id, trail.VIEWED_HANDOVERS, "handovers", clock())
        return [
            handover_out(v, points[v.point_id], policy)
            for v in found
            if first <= v.starts_at.astimezone(points[v.point_id].tz).date() <= last
        ]

    @get("/{appointment_id:int}", summary="One handover: who is held and how invitees answered")
    async def one(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> HandoverOut:
        view, point = await visible_handover(catalog, request, appointment_id)
        await trail.record(
            account(request).id, trail.VIEWED_APPOINTMENT, f"appointment:{view.id}", clock()
        )
        return handover_out(view, point, policy, await proposals(view.id, view.sequence))

    @post(
        "/{appointment_id:int}/reschedule",
        status_code=HTTP_200_OK,
        summary="Move agency place, interpreter and consultant together, or nothing",
    )
    async def reschedule(
        self,
        request: Request,
        appointment_id: PathId,
        data: JSONBody[RescheduleIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> HandoverOut:
        _, point = await visible_handover(catalog, request, appointment_id)
        now = clock()
        await handovers.reschedule(
            catalog, policy, appointment_id, supported(data.start, "start"), now=now
        )
        await trail.record(
            account(request).id, trail.CHANGED_TIME, f"appointment:{appointment_id}", now
        )
        worker.wake()
        return handover_out(await handover_views.handover(appointment_id), point, policy)

    @post(
        "/{appointment_id:int}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel: everyone invited gets a cancellation, the migrant a text",
    )
    async def cancel(
        self,
        request: Request,
        appointment_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> HandoverOut:
        _, point = await visible_handover(catalog, request, appointment_id)
        now = clock()
        await changes.cancel(catalog, policy, appointment_id, now=now)
        await trail.record(
            account(request).id, trail.CANCELLED, f"appointment:{appointment_id}", now
        )
        worker.wake()
        return handover_out(await handover_views.handover(appointment_id), point, policy)

    @post(
        "/{appointment_id:int}/outcome",
        status_code=HTTP_200_OK,
        summary="What happened: took place, migrant absent, agency absent, or moved",
    )
    async def outcome(
        self,
        request: Request,
        appointment_id: PathId,
        data: JSONBody[OutcomeIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> HandoverOut:
        _, point = await visible_handover(catalog, request, appointment_id)
        now = clock()
        await handovers.record_outcome(appointment_id, data.outcome, now=now)
        await trail.record(
            account(request).id,
            trail.RECORDED_OUTCOME,
            f"appointment:{appointment_id}:{data.outcome}",
            now,
        )
        return handover_out(await handover_views.handover(appointment_id), point, policy)
