"""Accept and decline links in handover invites: signed, bound to one version, expiring.

A link names the attendee, the handover's SEQUENCE when it was sent and when it ends, with
an HMAC of the three under the installation's secret, so nothing needs storing and nobody
can forge or alter one. An answer to an older version is refused (the time it answers may
have changed); a decline flags the handover so the consultant can choose another time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from booking.db.tables import Appointment, Handover, InviteAttendee
from booking.db.transactions import write_transaction
from booking.domain.errors import (
    AppointmentClosed,
    HandoverCancelled,
    InvitationChanged,
    LinkExpired,
)
from booking.domain.policy import Policy

ACCEPT, DECLINE = "accept", "decline"
ANSWERS = {ACCEPT: InviteAttendee.ACCEPTED, DECLINE: InviteAttendee.DECLINED}
SIGNATURE_LENGTH = 22


@dataclass(frozen=True, slots=True)
class ReplyLink:
    attendee_id: int
    sequence: int
    expires: int


def _signature(policy: Policy, payload: str) -> str:
    digest = hmac.new(policy.secret, f"invite-reply\x1f{payload}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode()[:SIGNATURE_LENGTH]


def reply_token(policy: Policy, attendee_id: int, sequence: int, expires: datetime) -> str:
    payload = f"{attendee_id}.{sequence}.{int(expires.timestamp())}"
    return f"{payload}.{_signature(policy, payload)}"


def reply_url(policy: Policy, token: str, answer: str) -> str:
    return f"{policy.public_base_url}/invites/{token}?answer={answer}"


def read_token(policy: Policy, token: str, now: datetime) -> ReplyLink:
    """The link's content if it is genuine and not expired; LinkExpired otherwise."""
    payload, _, signature = token.rpartition(".")
    parts = payload.split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 12 for p in parts):
        raise LinkExpired("token")
    if not hmac.compare_digest(signature.encode(), _signature(policy, payload).encode()):
        raise LinkExpired("token")
    link = ReplyLink(*(int(p) for p in parts))
    if datetime.fromtimestamp(link.expires, UTC) <= now:
        raise LinkExpired("token")
    return link


@dataclass(frozen=True, slots=True)
class Invitation:
    """What an invitee sees before answering."""

    attendee_id: int
    appointment_id: int
    name: str
    role: str
    partstat: str
    starts_at: datetime
    ends_at: datetime
    point_id: int
    agency_name: str
    status: str


async def invitation(policy: Policy, token: str, now: datetime) -> Invitation:
    """The invitation behind a link, if the link is genuine, current and still answerable."""
    link = read_token(policy, token, now)
    row = await (
        InviteAttendee.select(
            InviteAttendee.id,
            InviteAttendee.name,
            InviteAttendee.role,
            InviteAttendee.partstat,
            InviteAttendee.active,
            InviteAttendee.appointment.as_alias("appointment_id"),
            InviteAttendee.appointment.sequence.as_alias("sequence"),
            InviteAttendee.appointment.status.as_alias("status"),
            InviteAttendee.appointment.starts_at.as_alias("starts_at"),
            InviteAttendee.appointment.ends_at.as_alias("ends_at"),
            InviteAttendee.appointment.point.as_alias("point_id"),
        )
        .where(InviteAttendee.id == link.attendee_id)
        .first()
    )
    if row is None or not row["active"]:
        raise LinkExpired("token")
    if row["status"] == Appointment.CANCELLED:  # cancelling bumps SEQUENCE: say why first
        raise HandoverCancelled("token")
    if row["sequence"] != link.sequence:
        raise InvitationChanged("token")
    agency = await (
        Handover.select(Handover.agency.name.as_alias("name"))
        .where(Handover.appointment == row["appointment_id"])
        .first()
    )
    return Invitation(
        attendee_id=row["id"],
        appointment_id=row["appointment_id"],
        name=row["name"],
        role=row["role"],
        partstat=row["partstat"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        point_id=row["point_id"],
        agency_name=agency["name"] if agency else "",
        status=row["status"],
    )


async def answer(policy: Policy, token: str, reply: str, now: datetime) -> Invitation:
    """Records ACCEPTED or DECLINED; a decline flags the handover for the consultant.

    The check of the link and the write happen in one transaction, so an answer cannot land
    on a version that changed after the link was read.
    """
    if reply not in ANSWERS:
        raise LinkExpired("answer")
    async with write_transaction():
        found = await invitation(policy, token, now)
        if found.status != Appointment.CONFIRMED:
            raise AppointmentClosed("status")
        await record(found.appointment_id, found.attendee_id, ANSWERS[reply], now)
    return replace(found, partstat=ANSWERS[reply])


async def record(appointment_id: int, attendee_id: int, partstat: str, now: datetime) -> None:
    """Sets an invitee's answer, inside the caller's transaction; the one place that also
    raises or lowers the decline flag, for the links and for answers by e-mail alike."""
    if partstat not in ANSWERS.values():
        raise ValueError(f"no answer {partstat!r}")
    await InviteAttendee.update({InviteAttendee.partstat: partstat}).where(
        InviteAttendee.id == attendee_id
    )
    declined = await InviteAttendee.exists().where(
        (InviteAttendee.appointment == appointment_id)
        & (InviteAttendee.active == True)
        & (InviteAttendee.partstat == InviteAttendee.DECLINED)
    )
    is_decline = partstat == InviteAttendee.DECLINED
    if is_decline or not declined:
        flag = {Handover.declined_at: now if is_decline else None}
        await Handover.update(flag).where(Handover.appointment == appointment_id)
