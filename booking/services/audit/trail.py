"""The audit log: every staff view or change of a migrant's data, who and when (DOMAIN.md 6).

Entries name what was touched ("appointment:12"), never the data itself; the database
refuses to change or delete them.
"""

from __future__ import annotations

from datetime import datetime

from booking.db.tables import AuditEntry
from booking.domain.policy import Policy

VIEWED_AGENDA = "viewed_agenda"
VIEWED_APPOINTMENT = "viewed_appointment"
VIEWED_CALLBACKS = "viewed_callbacks"
VIEWED_WAITLIST = "viewed_waitlist"
VIEWED_MESSAGES = "viewed_messages"
BOOKED_FOR_CALLER = "booked_for_caller"
CHANGED_STATUS = "changed_status"
CHANGED_TIME = "changed_time"
CANCELLED = "cancelled"
EXPORTED_SUBJECT_DATA = "exported_subject_data"
BOOKED_HANDOVER = "booked_handover"
VIEWED_HANDOVERS = "viewed_handovers"
RECORDED_OUTCOME = "recorded_outcome"
CREATED_FEED = "created_feed"
REVOKED_FEED = "revoked_feed"
ADDED_BUSY_SOURCE = "added_busy_source"
REMOVED_BUSY_SOURCE = "removed_busy_source"
AUDIT_VIEWED = "audit_viewed"
AUDIT_EXPORTED = "audit_exported"
UNLOCKED_LOGIN = "unlocked_login"
RESET_FACTOR = "reset_factor"
IMPORTED_REGION = "imported_region"

#: The prefix of subjects that name one appointment.
APPOINTMENT = "appointment:"
#: The subject of a look at the audit log that asked about no one in particular.
AUDIT_LOG = "audit-log"
#: Longest subject and detail the table holds.
SUBJECT_LENGTH, DETAIL_LENGTH = 80, 200


def appointment_subject(appointment_id: int) -> str:
    return f"{APPOINTMENT}{appointment_id}"


def subject_key(policy: Policy, phone: str) -> str:
    """The audit subject for a number: a keyed hash, stable, and useless without the key."""
    return f"subject:{policy.keyed_hash('subject-access', phone)}"


async def record(
    account_id: int, action: str, subject: str, now: datetime, detail: str | None = None
) -> int:
    """Writes one entry and returns its id; ``detail`` says how, e.g. the filter of a look
    at the log."""
    rows = await AuditEntry.insert(
        AuditEntry(
            account=account_id,
            action=action,
            subject=subject[:SUBJECT_LENGTH],
            detail=detail[:DETAIL_LENGTH] if detail else None,
            at=now,
        )
    )
    return rows[0]["id"]
