"""The public JSON API: points, topics, slots, and an appointment behind its manage token."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from booking.domain.policy import Policy
from booking.i18n import current_language, names_in
from booking.services import appointments, changes, verification, views
from booking.services.appointments import BookingRequest
from booking.services.directory import list_points
from booking.services.point_setup import Catalog, current_revision
from booking.services.slots import search_slots
from booking.services.views import AppointmentView
from booking.settings import Settings
from booking.web.bounds import QueryId, supported
from booking.web.context import Clock
from booking.web.schemas import (
    AppointmentIn,
    AppointmentOut,
    DatedHoursOut,
    NamedOut,
    PlaceOut,
    PointOut,
    RegionOut,
    RescheduleIn,
    ResourceOut,
    SlotOut,
    SlotsOut,
    TopicOut,
    VerifyIn,
    WeeklyHoursOut,
)
from booking.worker import InProcess

TokenPath = Annotated[str, PathParameter(min_length=16, max_length=100)]


def _hhmm(value) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def appointment_out(view: AppointmentView, policy: Policy) -> AppointmentOut:
    tz = view.point.tz
    language = current_language.get()
    return AppointmentOut(
        id=view.id,
        status=view.status,
        channel=view.channel,
        language=view.language,
        point=PlaceOut(
            id=view.point.id,
            name=view.point.name_in(language),
            kind=view.point.kind,
            address=view.point.address,
            city=view.point.city,
        ),
        topic=NamedOut(id=view.topic.id, name=names_in(view.topic.name, language)),
        start=view.starts_at.astimezone(tz),
        end=view.ends_at.astimezone(tz),
        timezone=view.point.timezone,
        resources=[ResourceOut(kind=r.kind, id=r.id, name=r.name) for r in view.resources],
        held_until=view.held_until.astimezone(tz) if view.held_until else None,
        manage_token=view.manage_token,
        manage_url=policy.manage_url(view.manage_token) if view.manage_token else None,
    )


class DirectoryController(Controller):
    path = "/api"
    tags = ["directory"]

    @get("/points", summary="Points with opening hours (local time) and upcoming exceptions")
    async def points(
        self, clock: NamedDependency[Clock], settings: NamedDependency[Settings]
    ) -> list[PointOut]:
        today = clock().date()
        language = current_language.get()
        listings = await list_points(today, today + timedelta(days=settings.horizon_days), language)
        return [
            PointOut(
                id=p.point["id"],
                slug=p.point["slug"],
                name=names_in(p.point["name_i18n"], language, p.point["name"]),
                kind=p.point["kind"],
                region=RegionOut(id=p.region["id"], code=p.region["code"], name=p.region["name"]),
                address=p.point["address"],
                city=p.point["city"],
                timezone=p.point["timezone"],
                description=names_in(p.point["description"], language),
                opening_hours=[
                    WeeklyHoursOut(
                        weekday=w["weekday"],
                        opens=_hhmm(w["opens"]),
                        closes=_hhmm(w["closes"]),
                        valid_from=w["valid_from"],
                        valid_to=w["valid_to"],
                    )
                    for w in p.weekly
                ],
                exceptions=[
                    DatedHoursOut(
                        date=d.day,
                        kind=d.kind,
                        opens=_hhmm(d.opens),
                        closes=_hhmm(d.closes),
                        note=d.note,
                    )
                    for d in p.ahead
                ],
            )
            for p in listings
        ]

    @get("/topics", summary="Topics, named in the requested language (?lang=)")
    async def topics(self, catalog: NamedDependency[Catalog]) -> list[TopicOut]:
        language = current_language.get()
        found = await catalog.topics(await current_revision())
        return [
            TopicOut(
                id=t.id,
                slug=t.slug,
                name=names_in(t.name, language),
                description=names_in(t.description, language),
                duration_minutes=int(t.duration.total_seconds() // 60),
            )
            for t in sorted(found.values(), key=lambda t: (t.position, t.id))
        ]


class SlotController(Controller):
    path = "/api/slots"
    tags = ["booking"]

    @get(
        "/",
        summary="Free slots at a point for a topic and language",
        description="Dates are local to the point; times come with their UTC offset.",
    )
    async def slots(
        self,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        point: QueryId,
        topic: QueryId,
        language: Annotated[str, QueryParameter(min_length=2, max_length=12)],
        first: Annotated[date, QueryParameter(name="from")],
        last: Annotated[date, QueryParameter(name="to")],
    ) -> SlotsOut:
        plan, found = await search_slots(
            catalog,
            policy,
            point_id=point,
            topic_id=topic,
            language=language,
            first=supported(first, "from"),
            last=supported(last, "to"),
            now=clock(),
        )
        tz = plan.setup.point.tz
        return SlotsOut(
            point=point,
            topic=topic,
            language=plan.language,
            timezone=plan.setup.point.timezone,
            slots=[
                SlotOut(
                    start=s.start.astimezone(tz),
                    end=s.end.astimezone(tz),
                    interpreter=s.needs_interpreter,
                )
                for s in found
            ],
        )


class AppointmentController(Controller):
    path = "/api/appointments"
    tags = ["booking"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Hold a slot offered by /api/slots; an SMS code confirms it",
        description="The appointment starts as `held` until `held_until`; POST the code from"
        " the text message to /api/appointments/{token}/verify to confirm it.",
    )
    async def create(
        self,
        request: Request,
        data: JSONBody[AppointmentIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> AppointmentOut:
        view = await appointments.book(
            catalog,
            policy,
            BookingRequest(
                point_id=data.point,
                topic_id=data.topic,
                language=data.language,
                start=supported(data.start, "start"),
                phone=data.phone,
                first_name=data.first_name,
                channel=data.channel,
                text_channel=data.text_channel,
            ),
            now=clock(),
            client=request.client.host if request.client else None,
        )
        worker.wake()
        return appointment_out(view, policy)

    @post("/{token:str}/verify", status_code=HTTP_200_OK, summary="Confirm with the SMS code")
    async def verify(
        self,
        token: TokenPath,
        data: JSONBody[VerifyIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> AppointmentOut:
        view = await verification.verify(catalog, policy, token, data.code, now=clock())
        return appointment_out(view, policy)

    @post("/{token:str}/code", status_code=HTTP_202_ACCEPTED, summary="Send a new SMS code")
    async def resend(
        self,
        token: TokenPath,
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> dict[str, str]:
        await verification.resend_code(policy, token, now=clock())
        worker.wake()
        return {"status": "sent"}

    @get("/{token:str}", summary="The appointment behind a manage token")
    async def read(
        self,
        token: TokenPath,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
    ) -> AppointmentOut:
        return appointment_out(await views.get(catalog, token), policy)

    @post("/{token:str}/cancel", status_code=HTTP_200_OK, summary="Cancel; frees every resource")
    async def cancel(
        self,
        token: TokenPath,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
        policy: NamedDependency[Policy],
    ) -> AppointmentOut:
        return appointment_out(await changes.cancel(catalog, policy, token, now=clock()), policy)

    @post(
        "/{token:str}/reschedule",
        status_code=HTTP_200_OK,
        summary="Move to another free slot; the old one is kept if the new one cannot be held",
    )
    async def reschedule(
        self,
        token: TokenPath,
        data: JSONBody[RescheduleIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> AppointmentOut:
        view = await changes.reschedule(
            catalog, policy, token, supported(data.start, "start"), now=clock()
        )
        return appointment_out(view, policy)


@get("/health", summary="Liveness: answers without touching the database")
async def health_check() -> dict[str, str]:
    return {"status": "ok"}
