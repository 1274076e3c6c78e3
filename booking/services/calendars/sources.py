"""Free/busy sources: an interpreter's or an agency place's own calendar, as an ICS address
(a published calendar) or a CalDAV calendar with its login.

Coordinators add and remove them; the worker polls them (polling.py). Passwords are kept
because they must be presented to the calendar server; they never leave through the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from booking import sealing
from booking.db.rows import insert_returning_id
from booking.db.tables import AgencyHours, BusySource
from booking.db.transactions import write_transaction
from booking.domain.errors import InvalidCalendarUrl, InvalidInput, NotFound, UnknownPlace
from booking.services.feeds import AGENCY, Subscriber, subscriber
from booking.services.handovers.setup import agency_resource
from booking.services.point_values import staff_resource

URL_MAX = 500


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source as coordinators see it: whose, where from, and how the last poll went."""

    id: int
    resource: str
    staff_id: int | None
    agency_id: int | None
    place: int | None
    kind: str
    url: str
    polled_at: datetime | None
    ok_at: datetime | None
    error: str
    intervals: int

    @property
    def failing(self) -> bool:
        return bool(self.error)


def checked_url(raw: str) -> str:
    """An http(s) address; ``webcal://`` (how calendars publish) is read as https."""
    url = raw.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > URL_MAX:
        raise InvalidCalendarUrl("url")
    return url


async def owner(
    *, staff_id: int | None = None, agency_id: int | None = None, place: int | None = None
) -> tuple[Subscriber, str]:
    """The interpreter, or the agency with one of its places, and the resource they block."""
    who = await subscriber(agency_id=agency_id, staff_id=staff_id)
    if who.kind != AGENCY:
        if place is not None:
            raise UnknownPlace("place")
        return who, staff_resource(who.id)
    hours = await AgencyHours.select(AgencyHours.capacity).where(AgencyHours.agency == who.id)
    places = max((h["capacity"] for h in hours), default=1)
    chosen = 1 if place is None else place
    if not 1 <= chosen <= places:
        raise UnknownPlace("place")
    return who, agency_resource(who.id, chosen)


#: The sealing purpose of calendar passwords (booking/sealing.py).
PURPOSE = "busy-source-password"


def sealed_for(resource: str, url: str) -> str:
    """What a sealed password belongs to: this calendar of this person or place."""
    return f"{resource} {url}"


def password_of(row: dict, secret: bytes) -> str:
    """The plain password of a source row, "" when it has none.

    Raises:
        sealing.Unsealable: sealed under another key or for another calendar, or stored
            before passwords were sealed: the calendar must be connected again.
    """
    if not row["password"]:
        return ""
    return sealing.unseal(secret, PURPOSE, sealed_for(row["resource"], row["url"]), row["password"])


async def add(
    *,
    kind: str,
    url: str,
    now: datetime,
    staff_id: int | None = None,
    agency_id: int | None = None,
    place: int | None = None,
    username: str = "",
    password: str = "",
    secret: bytes,
) -> int:
    """A new source; the worker reads it at its next round. The password is sealed under
    ``secret`` (Policy.secret) for this calendar, so a copy of the database cannot log in."""
    if kind not in BusySource.KINDS:
        raise InvalidInput("kind")
    if len(username) > 200 or len(password) > 200:
        raise InvalidInput("username")
    who, resource = await owner(staff_id=staff_id, agency_id=agency_id, place=place)
    url = checked_url(url)
    sealed = sealing.seal(secret, PURPOSE, sealed_for(resource, url), password) if password else ""
    async with write_transaction():
        [source_id] = await insert_returning_id(
            BusySource,
            [
                {
                    "staff": who.id if who.kind != AGENCY else None,
                    "agency": who.id if who.kind == AGENCY else None,
                    "place": int(resource.rsplit(":", 1)[1]) if who.kind == AGENCY else None,
                    "resource": resource,
                    "kind": kind,
                    "url": url,
                    "username": username,
                    "password": sealed,
                    "etag": "",
                    "active": True,
                    "created_at": now,
                    "polled_at": None,
                    "ok_at": None,
                    "error": "",
                    "intervals": 0,
                }
            ],
        )
    return source_id


COLUMNS = (
    BusySource.id,
    BusySource.resource,
    BusySource.staff,
    BusySource.agency,
    BusySource.place,
    BusySource.kind,
    BusySource.url,
    BusySource.polled_at,
    BusySource.ok_at,
    BusySource.error,
    BusySource.intervals,
)


def _view(row: dict) -> SourceView:
    return SourceView(
        row["id"], row["resource"], row["staff"], row["agency"], row["place"], row["kind"],
        row["url"], row["polled_at"], row["ok_at"], row["error"], row["intervals"],
    )  # fmt: skip


async def listed(*, staff_id: int | None = None, agency_id: int | None = None) -> list[SourceView]:
    """The active sources of one interpreter or agency."""
    column = BusySource.staff if staff_id is not None else BusySource.agency
    wanted = staff_id if staff_id is not None else agency_id
    rows = await (
        BusySource.select(*COLUMNS)
        .where((column == wanted) & (BusySource.active == True))
        .order_by(BusySource.id)
    )
    return [_view(r) for r in rows]


async def one(source_id: int) -> SourceView:
    row = await BusySource.select(*COLUMNS).where(BusySource.id == source_id).first()
    if row is None:
        raise NotFound("source")
    return _view(row)


async def failing(region_id: int | None) -> list[tuple[SourceView, str]]:
    """Sources whose last poll failed, with their owner's name, for a region (None: all)."""
    rows = await BusySource.select(
        *COLUMNS,
        BusySource.staff.name.as_alias("staff_name"),
        BusySource.staff.region.as_alias("staff_region"),
        BusySource.agency.name.as_alias("agency_name"),
        BusySource.agency.region.as_alias("agency_region"),
    ).where((BusySource.active == True) & (BusySource.error != ""))
    found = []
    for row in rows:
        region = row["staff_region"] if row["staff"] else row["agency_region"]
        if region_id is None or region in (None, region_id):
            found.append((_view(row), row["staff_name"] or row["agency_name"] or ""))
    return found


async def remove(source_id: int) -> None:
    """The source and its busy times go at once."""
    async with write_transaction():
        if not await BusySource.exists().where(BusySource.id == source_id):
            raise NotFound("source")
        await BusySource.delete().where(BusySource.id == source_id)
