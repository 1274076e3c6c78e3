"""Coordinators hand out and revoke calendar-feed links for agencies and interpreters.

Region scoping: an agency or interpreter of the coordinator's own region, or one without a
region (national agencies, interpreters working anywhere). The token is in the answer to
the POST only; a lost link is revoked and replaced, never shown again.
"""

from __future__ import annotations

from datetime import datetime

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
from booking.services.feeds import FeedRow, Subscriber
from booking.web.bounds import Id, OptionalQueryId, PathId
from booking.web.context import Clock
from booking.web.staff.auth import (
    StaffAuthentication,
    account,
    coordinators_only,
    require_region,
)


class FeedIn(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one of the two."""

    agency: Id | None = None
    interpreter: Id | None = None


class NewFeedOut(msgspec.Struct):
    id: int
    #: The subscription link; shown this once.
    url: str


class FeedOut(msgspec.Struct):
    id: int
    created_at: datetime
    revoked_at: datetime | None


def _out(row: FeedRow) -> FeedOut:
    return FeedOut(row.id, row.created_at, row.revoked_at)


def _check_region(request: Request, who: Subscriber, missing: LoketError | None = None) -> None:
    """Another region's agency or interpreter, or their feed, is answered as a missing one."""
    if who.region_id is not None:
        require_region(account(request), who.region_id, missing or feeds.unknown(who.kind))


def _subject(feed_id: int, who: Subscriber) -> str:
    return f"feed:{feed_id}:{who.kind}:{who.id}"


class FeedApi(Controller):
    path = "/api/feeds"
    tags = ["feeds"]
    middleware = [DefineMiddleware(StaffAuthentication)]
    guards = [coordinators_only]

    @post("/", status_code=HTTP_201_CREATED, summary="A new feed link (shown once)")
    async def create(
        self,
        request: Request,
        data: JSONBody[FeedIn],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> NewFeedOut:
        who = await feeds.subscriber(agency_id=data.agency, staff_id=data.interpreter)
        _check_region(request, who)
        now = clock()
        feed_id, token = await feeds.create(
            agency_id=data.agency, staff_id=data.interpreter, now=now
        )
        await trail.record(account(request).id, trail.CREATED_FEED, _subject(feed_id, who), now)
        return NewFeedOut(feed_id, feeds.feed_url(policy, who.kind, token))

    @get("/", summary="The feed links of one agency or interpreter, without their tokens")
    async def list_feeds(
        self, request: Request, agency: OptionalQueryId = None, interpreter: OptionalQueryId = None
    ) -> list[FeedOut]:
        _check_region(request, await feeds.subscriber(agency_id=agency, staff_id=interpreter))
        return [_out(row) for row in await feeds.listed(agency_id=agency, staff_id=interpreter)]

    @post("/{feed_id:int}/revoke", status_code=HTTP_200_OK, summary="The link stops working")
    async def revoke(
        self, request: Request, feed_id: PathId, clock: NamedDependency[Clock]
    ) -> FeedOut:
        _, who = await feeds.lookup(feed_id)
        _check_region(request, who, NotFound("feed"))
        now = clock()
        await feeds.revoke(feed_id, now)
        await trail.record(account(request).id, trail.REVOKED_FEED, _subject(feed_id, who), now)
        row, _ = await feeds.lookup(feed_id)
        return _out(row)
