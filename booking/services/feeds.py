"""Calendar feeds: an agency or an interpreter subscribes to its upcoming handovers.

A feed link is a capability (DOMAIN.md rule 7): a long random token, shown once, stored
only as its SHA-256 and revocable. Its events are the invites' own (same UID, SEQUENCE and
wording), so a calendar holding both shows one entry. Clients poll every hour; a version
computed from a few rows lets most polls end in 304 before the calendar is built.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.db.rows import insert_returning_id
from booking.db.tables import Agency, Allocation, Appointment, CalendarFeed, Handover, StaffMember
from booking.db.transactions import write_transaction
from booking.domain.errors import (
    N_,
    AgencyOrInterpreter,
    LinkExpired,
    LoketError,
    NotFound,
    UnknownAgency,
    UnknownInterpreter,
)
from booking.domain.policy import Policy
from booking.i18n import gettext
from booking.notify.ical import handover_events
from booking.services.handovers import notices as handover_notices
from booking.services.point_setup import Catalog, current_revision
from booking.services.point_values import staff_resource

AGENCY, INTERPRETER = "agency", "interpreter"
KINDS = (AGENCY, INTERPRETER)
#: Handovers stay in the feed this long after they began, so last week's can be looked up.
PAST = timedelta(days=7)
#: More than an agency's handovers in a booking horizon; a bound on one response.
MAX_EVENTS = 500
#: What ``secrets.token_urlsafe`` makes; anything else is not looked up.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,100}")
#: Whatever happened at a handover, it kept its time; a cancelled one leaves the feed.
SHOWN = (Appointment.CONFIRMED, Appointment.ARRIVED, Appointment.NO_SHOW, Appointment.DONE)
FEED_NAME = N_("Warm handovers: %(name)s")
#: The zone of an empty feed's VTIMEZONE (its only component): the points' zone.
FEED_ZONE = "Europe/Amsterdam"


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class Subscriber:
    """Whose handovers a feed shows; ``region_id`` None: national, or any region."""

    kind: str
    id: int
    name: str
    region_id: int | None
    active: bool


@dataclass(frozen=True, slots=True)
class Upcoming:
    """The handovers a feed shows now, earliest first, and a version of what it would say."""

    subscriber: Subscriber
    appointment_ids: tuple[int, ...]
    etag: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _kind_of(agency_id: int | None, staff_id: int | None) -> tuple[str, int]:
    if agency_id is not None and staff_id is None:
        return AGENCY, agency_id
    if staff_id is not None and agency_id is None:
        return INTERPRETER, staff_id
    raise AgencyOrInterpreter("agency")


def unknown(kind: str) -> LoketError:
    """What an agency or interpreter that is not there is answered with."""
    return UnknownAgency("agency") if kind == AGENCY else UnknownInterpreter("interpreter")


async def subscriber(*, agency_id: int | None = None, staff_id: int | None = None) -> Subscriber:
    """The agency or the interpreter (exactly one), active or not.

    Raises:
        AgencyOrInterpreter, UnknownAgency, UnknownInterpreter.
    """
    kind, wanted = _kind_of(agency_id, staff_id)
    if kind == AGENCY:
        row = await (
            Agency.select(Agency.id, Agency.name, Agency.region, Agency.active)
            .where(Agency.id == wanted)
            .first()
        )
        if row is None:
            raise unknown(AGENCY)
    else:
        row = await (
            StaffMember.select(
                StaffMember.id, StaffMember.name, StaffMember.region, StaffMember.active
            )
            .where((StaffMember.id == wanted) & (StaffMember.kind == StaffMember.INTERPRETER))
            .first()
        )
        if row is None:
            raise unknown(INTERPRETER)
    return Subscriber(kind, row["id"], row["name"], row["region"], row["active"])


async def create(
    *, agency_id: int | None = None, staff_id: int | None = None, now: datetime
) -> tuple[int, str]:
    """A new feed link for an active agency or interpreter: (feed id, token shown once)."""
    who = await subscriber(agency_id=agency_id, staff_id=staff_id)
    if not who.active:
        raise unknown(who.kind)
    token = secrets.token_urlsafe(32)
    async with write_transaction():
        [feed_id] = await insert_returning_id(
            CalendarFeed,
            [
                {
                    "agency": who.id if who.kind == AGENCY else None,
                    "staff": who.id if who.kind == INTERPRETER else None,
                    "token_hash": _digest(token),
                    "created_at": now,
                    "revoked_at": None,
                }
            ],
        )
    return feed_id, token


async def lookup(feed_id: int) -> tuple[FeedRow, Subscriber]:
    """A feed and whose it is; NotFound for an unknown id."""
    row = await CalendarFeed.select().where(CalendarFeed.id == feed_id).first()
    if row is None:
        raise NotFound("feed")
    owner = await subscriber(agency_id=row["agency"], staff_id=row["staff"])
    return FeedRow(row["id"], row["created_at"], row["revoked_at"]), owner


async def revoke(feed_id: int, now: datetime) -> None:
    """The link stops working at once; revoking twice keeps the first time."""
    async with write_transaction():
        found = await CalendarFeed.exists().where(CalendarFeed.id == feed_id)
        if not found:
            raise NotFound("feed")
        await CalendarFeed.update({CalendarFeed.revoked_at: now}).where(
            (CalendarFeed.id == feed_id) & CalendarFeed.revoked_at.is_null()
        )


async def listed(*, agency_id: int | None = None, staff_id: int | None = None) -> list[FeedRow]:
    """The feeds of one agency or interpreter, newest first; tokens cannot be listed."""
    kind, wanted = _kind_of(agency_id, staff_id)
    column = CalendarFeed.agency if kind == AGENCY else CalendarFeed.staff
    rows = await (
        CalendarFeed.select(CalendarFeed.id, CalendarFeed.created_at, CalendarFeed.revoked_at)
        .where(column == wanted)
        .order_by(CalendarFeed.id, ascending=False)
    )
    return [FeedRow(r["id"], r["created_at"], r["revoked_at"]) for r in rows]


def feed_url(policy: Policy, kind: str, token: str) -> str:
    """The address a calendar subscribes to; ``kind`` is "agency" or "interpreter"."""
    if kind not in KINDS:
        raise ValueError(f"no feed of kind {kind!r}")
    return f"{policy.public_base_url}/feeds/{kind}/{token}.ics"


async def upcoming(kind: str, token: str, policy: Policy, now: datetime) -> Upcoming:
    """What the feed behind ``token`` shows now: from a week ago to the booking horizon.

    Unknown, revoked and wrong-kind links all raise the same LinkExpired after the same
    single lookup by hash.
    """
    if kind not in KINDS or not TOKEN_SHAPE.fullmatch(token):
        raise LinkExpired("token")
    row = await (
        CalendarFeed.select(CalendarFeed.agency, CalendarFeed.staff, CalendarFeed.revoked_at)
        .where(CalendarFeed.token_hash == _digest(token))
        .first()
    )
    column = "agency" if kind == AGENCY else "staff"
    if row is None or row["revoked_at"] is not None or row[column] is None:
        raise LinkExpired("token")
    owner_id = row[column]
    who = await subscriber(agency_id=row["agency"], staff_id=row["staff"])
    first, last = now - PAST, now + policy.rules.horizon
    if kind == AGENCY:
        query = Handover.select(
            Handover.appointment.as_alias("id"),
            Handover.appointment.sequence.as_alias("sequence"),
            Handover.appointment.updated_at.as_alias("updated_at"),
        ).where(
            (Handover.agency == owner_id)
            & Handover.appointment.status.is_in(list(SHOWN))
            & (Handover.appointment.starts_at >= first)
            & (Handover.appointment.starts_at < last)
        )
        order = Handover.appointment.starts_at
    else:
        query = Allocation.select(
            Allocation.appointment.as_alias("id"),
            Allocation.appointment.sequence.as_alias("sequence"),
            Allocation.appointment.updated_at.as_alias("updated_at"),
        ).where(
            (Allocation.resource == staff_resource(owner_id))
            & (Allocation.live == True)
            & (Allocation.role == Allocation.INTERPRETER)
            & (Allocation.appointment.channel == Appointment.HANDOVER)
            & Allocation.appointment.status.is_in(list(SHOWN))
            & (Allocation.appointment.starts_at >= first)
            & (Allocation.appointment.starts_at < last)
        )
        order = Allocation.appointment.starts_at
    found = await query.order_by(order).limit(MAX_EVENTS)
    # Master data (names, addresses) bumps the revision; every change to a handover that
    # others must hear about bumps its SEQUENCE; ``updated_at`` catches the rest.
    version = repr(
        (
            who,
            await current_revision(),
            [(r["id"], r["sequence"], str(r["updated_at"])) for r in found],
        )
    )
    return Upcoming(
        who, tuple(r["id"] for r in found), hashlib.sha256(version.encode()).hexdigest()[:32]
    )


async def calendar(catalog: Catalog, policy: Policy, found: Upcoming, now: datetime) -> bytes:
    """The feed's iCalendar file, in Dutch like the invites."""
    language = handover_notices.INVITE_LANGUAGE
    events = [
        (await handover_notices.facts(catalog, policy, appointment_id, language))[0]
        for appointment_id in found.appointment_ids
    ]
    return handover_events.feed(
        gettext(FEED_NAME, language, name=found.subscriber.name),
        events,
        mailbox=handover_notices.mailbox(policy),
        public_base_url=policy.public_base_url,
        now=now,
        zone=events[0].timezone if events else FEED_ZONE,
        language=language,
    )
