"""The walk-in queue in the staff API: today's numbers of a point, adding a walk-in, calling
the next or a given number, and how a number ended (served or gone). Bearer tokens only.

Another region's point or number answers exactly as one that does not exist (404)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from booking.db.tables import QueueEntry
from booking.domain.errors import NotFound
from booking.domain.policy import Policy
from booking.domain.queue import rounded_minutes
from booking.services.audit import trail
from booking.services.point_setup import Catalog, PointInfo
from booking.services.queue import entries, outcomes, turns
from booking.web.bounds import Id, PathId, QueryId
from booking.web.context import Clock
from booking.web.queue.staff import call_number
from booking.web.schemas import LanguageCode
from booking.web.staff.auth import StaffAuthentication, account
from booking.web.staff.desk import desk_point, point_of
from booking.worker import InProcess

Desk = Annotated[str, msgspec.Meta(max_length=turns.DESK_MAX)]


class QueueEntryOut(msgspec.Struct):
    id: int
    number: int
    status: Literal["waiting", "called", "served", "gone"]
    topic: int
    language: str
    created_at: datetime
    #: Whether a number was left for the "you are next" text; the number itself never.
    has_phone: bool
    called_at: datetime | None
    desk: str
    #: The walk-in appointment a call started.
    appointment: int | None


class JoinIn(msgspec.Struct, forbid_unknown_fields=True):
    point: Id
    topic: Id
    language: LanguageCode
    phone: Annotated[str, msgspec.Meta(max_length=32)] | None = None


class JoinedOut(msgspec.Struct):
    id: int
    number: int
    language: str
    #: Rounded up to 5 minutes; null when nobody on duty today can serve them.
    wait_minutes: int | None


class CallNextIn(msgspec.Struct, forbid_unknown_fields=True):
    point: Id
    desk: Desk = ""


class CallIn(msgspec.Struct, forbid_unknown_fields=True):
    desk: Desk = ""


class CalledOut(msgspec.Struct):
    number: int
    appointment: int
    waited_minutes: int


class EndedOut(msgspec.Struct):
    id: int
    status: Literal["served", "gone"]


async def _entry_point(catalog: Catalog, request: Request, entry_id: int) -> PointInfo:
    """The point of a number the account's region has, else the missing number's 404."""
    return await point_of(
        catalog, request, await outcomes.point_of_entry(entry_id), NotFound("entry")
    )


class StaffQueueApi(Controller):
    path = "/api/staff/queue"
    tags = ["queue"]
    middleware = [DefineMiddleware(StaffAuthentication)]

    @get("/", summary="Today's numbers of a point, in order of arrival")
    async def listed(
        self,
        request: Request,
        point: QueryId,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> list[QueueEntryOut]:
        info = await desk_point(catalog, request, point)
        return [
            QueueEntryOut(
                id=e.id, number=e.number, status=e.status, topic=e.topic_id,
                language=e.language, created_at=e.created_at.astimezone(info.tz),
                has_phone=e.has_phone,
                called_at=e.called_at.astimezone(info.tz) if e.called_at else None,
                desk=e.desk, appointment=e.appointment_id,
            )
            for e in await entries.day_entries(info, clock())
        ]  # fmt: skip

    @post("/", status_code=HTTP_201_CREATED, summary="Add a walk-in to today's queue")
    async def join(
        self,
        request: Request,
        data: JSONBody[JoinIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> JoinedOut:
        info = await desk_point(catalog, request, data.point)
        joined = await entries.join(
            catalog, policy, info, topic_id=data.topic, language=data.language,
            phone=(data.phone or "").strip() or None, now=clock(),
        )  # fmt: skip
        worker.wake()
        wait = None if joined.wait is None else rounded_minutes(joined.wait)
        return JoinedOut(joined.id, joined.number, joined.language, wait)

    @post("/next", status_code=HTTP_200_OK, summary="Call the first in line to a desk")
    async def call_next(
        self,
        request: Request,
        data: JSONBody[CallNextIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> CalledOut:
        info = await desk_point(catalog, request, data.point)
        called = await call_number(request, catalog, policy, info, None, data.desk, clock(), worker)
        return _called_out(called)

    @post("/{entry_id:int}/call", status_code=HTTP_200_OK, summary="Call one number to a desk")
    async def call(
        self,
        request: Request,
        entry_id: PathId,
        data: JSONBody[CallIn],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> CalledOut:
        info = await _entry_point(catalog, request, entry_id)
        called = await call_number(
            request, catalog, policy, info, entry_id, data.desk, clock(), worker
        )
        return _called_out(called)

    @post("/{entry_id:int}/served", status_code=HTTP_200_OK, summary="A called number was served")
    async def served(
        self,
        request: Request,
        entry_id: PathId,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> EndedOut:
        return await _end(request, catalog, entry_id, QueueEntry.SERVED, clock())

    @post("/{entry_id:int}/gone", status_code=HTTP_200_OK, summary="The person went away")
    async def gone(
        self,
        request: Request,
        entry_id: PathId,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> EndedOut:
        ended = await _end(request, catalog, entry_id, QueueEntry.GONE, clock())
        worker.wake()  # the new first in line may get a text
        return ended


async def _end(
    request: Request, catalog: Catalog, entry_id: int, outcome: str, now: datetime
) -> EndedOut:
    point = await _entry_point(catalog, request, entry_id)
    appointment_id = await outcomes.end(point, entry_id, outcome, now)
    if appointment_id is not None:
        await trail.record(
            account(request).id,
            trail.CHANGED_STATUS,
            f"appointment:{appointment_id}:{outcome}",
            now,
        )
    return EndedOut(entry_id, outcome)


def _called_out(called: turns.Called) -> CalledOut:
    return CalledOut(called.number, called.appointment_id, called.waited_minutes)
