"""Calendar subscriptions: ``/feeds/agency/<token>.ics`` and ``/feeds/interpreter/<token>.ics``.

No login: the token is the key (DOMAIN.md rule 7). Responses may be kept five minutes by the
subscriber's own client, never by a shared cache; a poll that brings the ETag of what it has
gets a 304 without the calendar being built.
"""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from booking.domain.errors import LinkExpired
from booking.domain.policy import Policy
from booking.services import feeds
from booking.services.point_setup import Catalog
from booking.web.context import Clock

CACHE_CONTROL = "private, max-age=300"
SUFFIX = ".ics"


def _unchanged(request: Request, etag: str) -> bool:
    """Whether If-None-Match names ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    wanted = request.headers.get("if-none-match", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


class CalendarFeeds(Controller):
    path = "/feeds"
    include_in_schema = False

    @get("/{kind:str}/{name:str}")
    async def feed(
        self,
        request: Request,
        kind: FromPath[str],
        name: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Response:
        if not name.endswith(SUFFIX):
            raise LinkExpired("token")
        now = clock()
        found = await feeds.upcoming(kind, name.removesuffix(SUFFIX), policy, now)
        # Weak: the compression middleware may send the same calendar gzipped or not.
        headers = {"Cache-Control": CACHE_CONTROL, "ETag": f'W/"{found.etag}"'}
        if _unchanged(request, headers["ETag"]):
            return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(
            await feeds.calendar(catalog, policy, found, now),
            media_type="text/calendar",  # Litestar adds "; charset=utf-8"
            headers={**headers, "Content-Disposition": 'inline; filename="handovers.ics"'},
        )
