"""An appointment as its owner sees it, and how it is found: by the hash of its manage token."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from booking.db.tables import Allocation, Appointment
from booking.db.transactions import is_sqlite
from booking.domain.errors import AppointmentNotFound
from booking.domain.phone import masked
from booking.domain.policy import Policy
from booking.services.point_setup import Catalog, PointInfo, TopicInfo, current_revision


@dataclass(frozen=True, slots=True)
class HeldResource:
    kind: str
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class AppointmentView:
    id: int
    status: str
    channel: str
    language: str
    point: PointInfo
    topic: TopicInfo
    starts_at: datetime
    ends_at: datetime
    resources: tuple[HeldResource, ...]
    #: A held appointment frees its slot at this instant unless its code is entered first.
    held_until: datetime | None = None
    #: Only present right after booking: the token is never stored, only its hash.
    manage_token: str | None = None
    #: The number the code went to, masked (+48 *** *** 567), to reassure its owner.
    phone_hint: str | None = None


def new_token(policy: Policy) -> tuple[str, str, str]:
    """A manage-link token, the hash that is stored to find it, and the salt that re-derives it.

    The token itself is never stored. With the salt and the installation's secret key it can
    be derived again for a later message (a reminder, a change by staff); a copy of the
    database alone reveals no link.
    """
    salt = secrets.token_hex(16)
    token = policy.manage_token(salt)
    return token, token_hash(token), salt


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: An appointment as its owner names it (the manage token) or as staff do (its id).
Which = str | int


def _matching(which: Which):
    if isinstance(which, int):
        return Appointment.id == which
    return Appointment.manage_token_hash == token_hash(which)


async def locked_appointment(which: Which) -> Mapping:
    """The appointment, locked until the transaction ends.

    SQLite's write transaction already excludes other writers; PostgreSQL needs the row
    lock, or a cancel and a move of one appointment could interleave and leave holds live.
    """
    query = Appointment.select().where(_matching(which))
    if not is_sqlite():
        query = query.lock_rows("UPDATE")
    row = await query.first()
    if row is None:
        raise AppointmentNotFound("token")
    return row


async def get(catalog: Catalog, which: Which) -> AppointmentView:
    row = await (
        Appointment.select(Appointment.all_columns(), Appointment.contact.phone.as_alias("phone"))
        .where(_matching(which))
        .first()
    )
    if row is None:
        raise AppointmentNotFound("token")
    return await view(catalog, row)


async def view(catalog: Catalog, row: Mapping) -> AppointmentView:
    """The appointment as its owner sees it; only live allocations are resources it holds."""
    held = await Allocation.select(
        Allocation.role,
        Allocation.staff,
        Allocation.staff.name.as_alias("name"),
        Allocation.agency,
        Allocation.agency.name.as_alias("agency_name"),
    ).where((Allocation.appointment == row["id"]) & (Allocation.live == True))
    revision = await current_revision()
    topic = (await catalog.topics(revision)).get(row["topic"])
    point = (await catalog.point_infos(revision)).get(row["point"])
    if topic is None or point is None:
        raise AppointmentNotFound("token")
    return AppointmentView(
        id=row["id"],
        status=row["status"],
        channel=row["channel"],
        language=row["language"],
        point=point,
        topic=topic,
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        held_until=row["held_until"] if row["status"] == Appointment.HELD else None,
        phone_hint=masked(row["phone"]) if row.get("phone") else None,
        resources=tuple(
            HeldResource(h["role"], h["staff"] or h["agency"], h["name"] or h["agency_name"] or "")
            for h in _sorted_roles(held)
        ),
    )


def _sorted_roles(held: Sequence[Mapping]) -> list[Mapping]:
    order = {role: n for n, role in enumerate(Allocation.ROLES)}
    return sorted(held, key=lambda h: order.get(h["role"], len(order)))
