"""The staff API: the same desk as the pages, for other systems. Bearer tokens only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from booking.domain.errors import AppointmentNotFound
from booking.domain.policy import Policy
from booking.services import agenda, changes, messages, views
from booking.services.appointments import BookingRequest, book_confirmed
from booking.services.audit import trail
from booking.services.auth import login, sessions
from booking.services.point_setup import Catalog
from booking.settings import Settings
from booking.web.api import appointment_out
from booking.web.bounds import Id, PathId, QueryId, supported, supported_or_none
from booking.web.context import Clock
from booking.web.input_guard import RAW_TEXT
from booking.web.schemas import AppointmentOut, LanguageCode
from booking.web.staff.auth import StaffAuthentication, account, require_region
from booking.web.staff.desk import point_of, visible_points
from booking.worker import InProcess


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=200)]
    #: The authenticator app's 6 digits, or a recovery code, where the account has a factor.
    code: Annotated[str, msgspec.Meta(max_length=40)] | None = None


class LoginOut(msgspec.Struct):
    token: str
    expires_in: int


class StaffBookingIn(msgspec.Struct, forbid_unknown_fields=True):
    point: Id
    topic: Id
    language: LanguageCode
    channel: Literal["phone", "walk_in"]
    #: Required by phone; a walk-in starts now.
    start: datetime | None = None
    phone: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    first_name: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    #: How the caller wants our texts.
    text_channel: Literal["sms", "whatsapp"] = "sms"


class StatusIn(msgspec.Struct, forbid_unknown_fields=True):
    status: Literal["arrived", "no_show", "done"]


class StatusOut(msgspec.Struct):
    id: int
    status: str


class AgendaItemOut(msgspec.Struct):
    id: int
    start: datetime
    end: datetime
    status: str
    channel: str
    language: str
    topic: int
    consultant: str
    interpreter: str | None
    first_name: str | None
    phone: str | None
    will_come: bool


class FailedMessageOut(msgspec.Struct):
    id: int
    appointment: int | None
    point: int | None
    kind: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime


class CallbackOut(msgspec.Struct):
    id: int
    point: int
    created_at: datetime
    language: str
    phone: str | None


class StaffApi(Controller):
    path = "/api/staff"
    tags = ["staff"]
    middleware = [DefineMiddleware(StaffAuthentication)]

    @post(
        "/login",
        status_code=HTTP_200_OK,
        summary="A Bearer token for the staff API",
        opt={RAW_TEXT: True},
    )
    async def login(
        self,
        request: Request,
        data: JSONBody[LoginIn],
        clock: NamedDependency[Clock],
        policy: NamedDependency[Policy],
        settings: NamedDependency[Settings],
    ) -> LoginOut:
        """With a second factor, ``code`` is required (else 422 ``code_needed``); a login that
        must first enrol one answers 422 ``factor_setup_needed``."""
        token = await login.log_in_api(
            policy,
            data.email,
            data.password,
            data.code,
            clock(),
            address=request.client.host if request.client else None,
            factor_for_all=settings.factor_for_all,
        )
        return LoginOut(token=token, expires_in=int(sessions.SESSION_LIFETIME.total_seconds()))

    @post("/logout", status_code=HTTP_200_OK, summary="End this token's session")
    async def logout(self, request: Request) -> dict[str, str]:
        await sessions.log_out(request.auth)
        return {"status": "logged out"}

    @get("/agenda", summary="A point's appointments on a local day (audited)")
    async def agenda(
        self,
        request: Request,
        point: QueryId,
        day: Annotated[date, QueryParameter()],
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> list[AgendaItemOut]:
        info = await point_of(catalog, request, point)
        items = await agenda.day(
            day=supported(day, "day"), timezone=info.timezone, point_ids=[info.id]
        )
        await trail.record(
            account(request).id, trail.VIEWED_AGENDA, f"agenda:{info.id}:{day}", clock()
        )
        return [
            AgendaItemOut(
                id=i.id,
                start=i.starts_at.astimezone(info.tz),
                end=i.ends_at.astimezone(info.tz),
                status=i.status,
                channel=i.channel,
                language=i.language,
                topic=i.topic_id,
                consultant=i.consultant,
                interpreter=i.interpreter,
                first_name=i.first_name,
                phone=i.phone_hint,
                will_come=i.will_come,
            )
            for i in items
        ]

    @post(
        "/appointments",
        status_code=HTTP_201_CREATED,
        summary="Book for a caller or a walk-in: confirmed at once",
    )
    async def book(
        self,
        request: Request,
        data: JSONBody[StaffBookingIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> AppointmentOut:
        info = await point_of(catalog, request, data.point)
        now = clock()
        booked = await book_confirmed(
            catalog,
            policy,
            BookingRequest(
                point_id=info.id,
                topic_id=data.topic,
                language=data.language,
                start=supported_or_none(data.start, "start") or now,
                phone=data.phone,
                first_name=data.first_name,
                channel=data.channel,
                text_channel=data.text_channel,
            ),
            now=now,
        )
        await trail.record(
            account(request).id, trail.BOOKED_FOR_CALLER, f"appointment:{booked.id}", now
        )
        worker.wake()
        return appointment_out(booked, policy)

    @post(
        "/appointments/{appointment_id:int}/status",
        status_code=HTTP_200_OK,
        summary="Arrived, no-show or done",
    )
    async def status(
        self,
        request: Request,
        appointment_id: PathId,
        data: JSONBody[StatusIn],
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> StatusOut:
        view = await views.get(catalog, appointment_id)
        require_region(account(request), view.point.region_id, AppointmentNotFound("token"))
        await changes.set_status(appointment_id, data.status, now=clock())
        await trail.record(
            account(request).id,
            trail.CHANGED_STATUS,
            f"appointment:{appointment_id}:{data.status}",
            clock(),
        )
        return StatusOut(id=appointment_id, status=data.status)

    @get("/messages", summary="Text messages that could not be delivered, in this region")
    async def failed_messages(
        self, request: Request, catalog: NamedDependency[Catalog], clock: NamedDependency[Clock]
    ) -> list[FailedMessageOut]:
        points = [p.id for p in await visible_points(catalog, request)]
        found = await messages.failed(points)
        await trail.record(account(request).id, trail.VIEWED_MESSAGES, "messages:failed", clock())
        return [
            FailedMessageOut(**{k: row[k] for k in FailedMessageOut.__struct_fields__})
            for row in found
        ]

    @get("/callbacks", summary="Open call-back requests of this region's telephone points")
    async def callbacks(
        self, request: Request, catalog: NamedDependency[Catalog], clock: NamedDependency[Clock]
    ) -> list[CallbackOut]:
        points = [p.id for p in await visible_points(catalog, request) if p.kind == "phone"]
        waiting = await agenda.open_callbacks(points)
        await trail.record(account(request).id, trail.VIEWED_CALLBACKS, "callbacks", clock())
        return [CallbackOut(c.id, c.point_id, c.created_at, c.language, c.phone) for c in waiting]
