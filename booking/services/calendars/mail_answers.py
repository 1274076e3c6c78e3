"""Answers from invitees' calendars, matched to handovers and recorded.

A REPLY counts when its UID is one of our handovers, its ATTENDEE one of the handover's
current invitees and its SEQUENCE the current one: then its PARTSTAT is recorded exactly
as the accept and decline links record it (a decline raises the same alert). A COUNTER
(another time proposed) is kept for the consultant to see on the handover page.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from booking.db.rows import insert_returning_id
from booking.db.tables import Appointment, InviteAttendee, InviteCounter
from booking.db.transactions import write_transaction
from booking.domain.policy import Policy
from booking.notify.ical.answers import COUNTER, Answer
from booking.services.handovers import invite_replies

#: What became of an answer: recorded, ours but outdated (moved away unrecorded), or not ours.
RECORDED, OUTDATED, NOT_OURS = "recorded", "outdated", "not_ours"
UID = re.compile(r"handover-(\d{1,12})@(.+)")
RECORDABLE = (InviteAttendee.ACCEPTED, InviteAttendee.DECLINED)


def handover_id(uid: str, policy: Policy) -> int | None:
    """The handover behind one of our UIDs (handover_uid), None for anyone else's."""
    found = UID.fullmatch(uid.strip())
    host = urlsplit(policy.public_base_url).hostname or "loket"
    if found is None or found.group(2).lower() != host.lower():
        return None
    return int(found.group(1))


async def take(answer: Answer, policy: Policy, now: datetime) -> str:
    """Records one answer if it is current; says what became of it."""
    appointment_id = handover_id(answer.uid, policy)
    if appointment_id is None or appointment_id > 2_147_483_647:
        return NOT_OURS
    async with write_transaction():
        row = await (
            Appointment.select(Appointment.status, Appointment.sequence)
            .where(
                (Appointment.id == appointment_id) & (Appointment.channel == Appointment.HANDOVER)
            )
            .first()
        )
        invitees = await InviteAttendee.select(InviteAttendee.id, InviteAttendee.email).where(
            (InviteAttendee.appointment == appointment_id) & (InviteAttendee.active == True)
        )
        attendee = next((i for i in invitees if i["email"].lower() == answer.attendee), None)
        if row is None or attendee is None:
            return NOT_OURS
        current = row["status"] == Appointment.CONFIRMED and answer.sequence == row["sequence"]
        if not current:
            return OUTDATED
        if answer.method == COUNTER:
            if answer.starts_at is None or answer.ends_at is None:
                return OUTDATED
            await insert_returning_id(
                InviteCounter,
                [
                    {
                        "appointment": appointment_id,
                        "attendee": attendee["id"],
                        "sequence": answer.sequence,
                        "starts_at": answer.starts_at,
                        "ends_at": answer.ends_at,
                        "comment": answer.comment,
                        "received_at": now,
                    }
                ],
            )
            return RECORDED
        if answer.partstat not in RECORDABLE:
            return OUTDATED  # TENTATIVE, DELEGATED...: nothing Loket records
        await invite_replies.record(appointment_id, attendee["id"], answer.partstat, now)
    return RECORDED


async def proposals(appointment_id: int, sequence: int) -> list[dict]:
    """Counter-proposals to the handover's current version, newest first, with who sent them."""
    return await (
        InviteCounter.select(
            InviteCounter.starts_at,
            InviteCounter.ends_at,
            InviteCounter.comment,
            InviteCounter.received_at,
            InviteCounter.attendee.name.as_alias("name"),
            InviteCounter.attendee.role.as_alias("role"),
        )
        .where((InviteCounter.appointment == appointment_id) & (InviteCounter.sequence == sequence))
        .order_by(InviteCounter.id, ascending=False)
    )
