"""Coordinators connect an interpreter's or an agency place's own calendar (ICS address or
CalDAV), see how its last reading went, and remove it. Passwords go in, never out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from booking.domain.errors import LoketError, NotFound
from booking.domain.policy import Policy
from booking.services import feeds
from booking.services.audit import trail
from booking.services.calendars import sources
from booking.services.calendars.sources import SourceView
from booking.web.bounds import Id, OptionalQueryId, PathId
from booking.web.context import Clock
from booking.web.staff.auth import StaffAuthentication, account, coordinators_only, require_region

Text200 = Annotated[str, msgspec.Meta(max_length=200)]


class SourceIn(msgspec.Struct, forbid_unknown_fields=True):
    """An interpreter, or an agency with one of its places (1 when left out)."""

    kind: Literal["ics", "caldav"]
    url: Annotated[str, msgspec.Meta(min_length=8, max_length=500)]
    interpreter: Id | None = None
    agency: Id | None = None
    place: Annotated[int, msgspec.Meta(ge=1, le=99)] | None = None
    username: Text200 = ""
    password: Text200 = ""


class SourceOut(msgspec.Struct):
    id: int
    kind: str
    url: str
    interpreter: int | None
    agency: int | None
    place: int | None
    #: When it was last asked, and last read without a problem.
    polled_at: datetime | None
    ok_at: datetime | None
    #: Why the last reading failed; empty when it worked.
    error: str
    #: Busy intervals held from it.
    intervals: int


def _out(view: SourceView) -> SourceOut:
    return SourceOut(
        view.id, view.kind, view.url, view.staff_id, view.agency_id, view.place,
        view.polled_at, view.ok_at, view.error, view.intervals,
    )  # fmt: skip


async def _check(
    request: Request,
    *,
    staff_id: int | None,
    agency_id: int | None,
    missing: LoketError | None = None,
) -> None:
    """Another region's interpreter or agency, or their calendar, is answered as a missing one."""
    who = await feeds.subscriber(agency_id=agency_id, staff_id=staff_id)
    if who.region_id is not None:
        require_region(account(request), who.region_id, missing or feeds.unknown(who.kind))


class BusySourceApi(Controller):
    path = "/api/busy-sources"
    tags = ["calendars"]
    middleware = [DefineMiddleware(StaffAuthentication)]
    guards = [coordinators_only]

    @post("/", status_code=HTTP_201_CREATED, summary="Connect someone's own calendar")
    async def create(
        self,
        request: Request,
        data: JSONBody[SourceIn],
        clock: NamedDependency[Clock],
        policy: NamedDependency[Policy],
    ) -> SourceOut:
        await _check(request, staff_id=data.interpreter, agency_id=data.agency)
        now = clock()
        source_id = await sources.add(
            kind=data.kind, url=data.url, now=now, staff_id=data.interpreter,
            agency_id=data.agency, place=data.place, username=data.username,
            password=data.password, secret=policy.secret,
        )  # fmt: skip
        await trail.record(
            account(request).id, trail.ADDED_BUSY_SOURCE, f"busy-source:{source_id}", now
        )
        return _out(await sources.one(source_id))

    @get("/", summary="The calendars connected for one interpreter or agency")
    async def list_sources(
        self, request: Request, agency: OptionalQueryId = None, interpreter: OptionalQueryId = None
    ) -> list[SourceOut]:
        await _check(request, staff_id=interpreter, agency_id=agency)
        found = await sources.listed(staff_id=interpreter, agency_id=agency)
        return [_out(v) for v in found]

    @post("/{source_id:int}/remove", status_code=HTTP_200_OK, summary="Disconnect a calendar")
    async def remove(
        self, request: Request, source_id: PathId, clock: NamedDependency[Clock]
    ) -> None:
        view = await sources.one(source_id)
        await _check(
            request, staff_id=view.staff_id, agency_id=view.agency_id, missing=NotFound("source")
        )
        await sources.remove(source_id)
        await trail.record(
            account(request).id, trail.REMOVED_BUSY_SOURCE, f"busy-source:{source_id}", clock()
        )
