"""The worker's reading of free/busy sources: each due source is fetched with a timeout,
at most ``limit`` per round, and its busy times replaced in one transaction.

An ICS address is fetched with If-None-Match and a CalDAV calendar is skipped while its
collection ETag is unchanged, so an unchanged calendar costs one small request. A failure
(timeout, refused login, not a calendar) is recorded on the source for coordinators and
keeps the last good busy times; nothing about it ever stops a booking. Logs name the
source by id only: a published calendar's address is itself a secret.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import caldav
import httpx
from caldav.elements import dav

from booking import sealing
from booking.db.tables import BusySource, ExternalBusy
from booking.db.transactions import write_transaction
from booking.domain.intervals import Interval
from booking.domain.opening_hours import zone
from booking.services.calendars import sources
from booking.services.calendars.busy_times import NotACalendar, busy_intervals

log = logging.getLogger(__name__)

#: A published calendar larger than this is refused rather than read into memory.
MAX_BYTES = 5_000_000
#: Busy times are kept from a day back to this far ahead (the booking horizon and more).
BEHIND = timedelta(days=1)
#: Where all-day and floating events are read; the points' zone.
ZONE = "Europe/Amsterdam"
INSERT_CHUNK = 500


class SourceFailed(Exception):
    """Why a source could not be read, in a few words for the coordinators' screen."""


@dataclass(frozen=True, slots=True)
class Fetched:
    etag: str
    files: list[bytes]


async def fetch_ics(
    url: str, username: str, password: str, etag: str, seconds: float
) -> Fetched | None:
    """A published calendar, or None when it did not change since ``etag``."""
    headers = {"If-None-Match": etag} if etag else {}
    auth = (username, password) if username else None
    try:
        async with (
            httpx.AsyncClient(timeout=seconds, follow_redirects=True, max_redirects=3) as http,
            http.stream("GET", url, headers=headers, auth=auth) as response,
        ):
            if response.status_code == 304:
                return None
            if response.status_code != 200:
                raise SourceFailed(f"http {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise SourceFailed("too large")
            return Fetched(response.headers.get("etag", ""), [bytes(body)])
    except httpx.TimeoutException:
        raise SourceFailed("timeout") from None
    except httpx.HTTPError as error:
        raise SourceFailed(f"unreachable ({type(error).__name__})") from None


def _caldav(
    url: str, username: str, password: str, etag: str, window: Interval, seconds: float
) -> Fetched | None:
    with caldav.DAVClient(
        url=url, username=username or None, password=password or None, timeout=seconds
    ) as client:
        calendar = client.calendar(url=url)
        tag = str(calendar.get_property(dav.GetEtag()) or "")
        if tag and tag == etag:
            return None
        found = calendar.search(start=window.start, end=window.end, event=True)
        return Fetched(tag, [str(item.data).encode() for item in found])


async def fetch_caldav(
    url: str, username: str, password: str, etag: str, window: Interval, seconds: float
) -> Fetched | None:
    """The events of a CalDAV calendar in ``window``, or None while its ETag is unchanged.

    The caldav client is synchronous: it runs in a thread, under its own timeout per
    request and an overall bound here.
    """
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(_caldav, url, username, password, etag, window, seconds),
            seconds * 4,
        )
    except TimeoutError:
        raise SourceFailed("timeout") from None
    except caldav.lib.error.AuthorizationError:
        raise SourceFailed("login refused") from None
    except caldav.lib.error.NotFoundError:
        raise SourceFailed("not found") from None
    except Exception as error:  # the client raises many kinds; each is this source's failure
        raise SourceFailed(f"caldav ({type(error).__name__})") from None


async def _store(source_id: int, fetched: Fetched | None, busy: list[Interval], now: datetime):
    async with write_transaction():
        if fetched is not None:
            resource = (
                await BusySource.select(BusySource.resource)
                .where(BusySource.id == source_id)
                .first()
            )
            if resource is None:  # removed meanwhile
                return
            await ExternalBusy.delete().where(ExternalBusy.source == source_id)
            rows = [
                ExternalBusy(
                    source=source_id,
                    resource=resource["resource"],
                    starts_at=b.start,
                    ends_at=b.end,
                )
                for b in busy
            ]
            for first in range(0, len(rows), INSERT_CHUNK):
                await ExternalBusy.insert(*rows[first : first + INSERT_CHUNK])
        changes = {BusySource.polled_at: now, BusySource.ok_at: now, BusySource.error: ""}
        if fetched is not None:
            changes |= {BusySource.etag: fetched.etag[:200], BusySource.intervals: len(busy)}
        await BusySource.update(changes).where(BusySource.id == source_id)


async def poll_source(
    row: dict, *, now: datetime, horizon: timedelta, seconds: float, secret: bytes
) -> bool:
    """Reads one source and stores what it says; False (and the reason kept) on failure."""
    window = Interval(now - BEHIND, now + horizon + BEHIND)
    try:
        try:
            password = sources.password_of(row, secret)
        except sealing.Unsealable:
            raise SourceFailed("password unreadable: connect it again") from None
        args = (row["url"], row["username"], password, row["etag"])
        if row["kind"] == BusySource.CALDAV:
            fetched = await fetch_caldav(*args, window, seconds)
        else:
            fetched = await fetch_ics(*args, seconds)
        busy = [] if fetched is None else busy_intervals(fetched.files, window, zone(ZONE))
    except (SourceFailed, NotACalendar) as error:
        reason = str(error) if isinstance(error, SourceFailed) else "not a calendar"
        log.warning("busy source %d could not be read: %s", row["id"], reason)
        await BusySource.update({BusySource.polled_at: now, BusySource.error: reason[:120]}).where(
            BusySource.id == row["id"]
        )
        return False
    await _store(row["id"], fetched, busy, now)
    return True


async def poll_due(
    now: datetime,
    *,
    every: timedelta,
    horizon: timedelta,
    seconds: float,
    secret: bytes,
    limit: int = 20,
) -> tuple[int, int]:
    """Polls the sources not read for ``every``, longest waiting first: (read, failed)."""
    # Never read first; NULLs sort differently on the two engines, so two small reads.
    due = await (
        BusySource.select()
        .where((BusySource.active == True) & BusySource.polled_at.is_null())
        .order_by(BusySource.id)
        .limit(limit)
    )
    if len(due) < limit:
        due += await (
            BusySource.select()
            .where((BusySource.active == True) & (BusySource.polled_at <= now - every))
            .order_by(BusySource.polled_at)
            .limit(limit - len(due))
        )
    read = failed = 0
    for row in due:
        if await poll_source(row, now=now, horizon=horizon, seconds=seconds, secret=secret):
            read += 1
        else:
            failed += 1
    return read, failed
