"""The audit log: every staff view or change of a migrant's data, who and when (DOMAIN.md 6).

Entries name what was touched ("appointment:12"), never the data itself; the database
refuses to change or delete them.
"""

from __future__ import annotations

from datetime import datetime

from booking.db.tables import AuditEntry

VIEWED_AGENDA = "viewed_agenda"
VIEWED_APPOINTMENT = "viewed_appointment"
VIEWED_CALLBACKS = "viewed_callbacks"
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
UNLOCKED_LOGIN = "unlocked_login"
RESET_FACTOR = "reset_factor"


async def record(account_id: int, action: str, subject: str, now: datetime) -> None:
    await AuditEntry.insert(
        AuditEntry(account=account_id, action=action, subject=subject[:80], at=now)
    )
