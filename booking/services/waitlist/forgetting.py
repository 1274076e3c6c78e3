"""Forgetting the numbers of waiting-list entries that ended (issue 17, DOMAIN.md rule 6).

A person's number is on the list only to prove it and to text offers. Once the entry ends
(they left, booked, or their weeks ran out) nothing more goes to it from the list: the
number is erased as soon as nothing else waits for it (``erase_contacts`` decides). A booked
entry shares its contact with the appointment, so that number stays until the retention job
erases the appointment; a text still in the outbox keeps a number until it is settled.
"""

from __future__ import annotations

from datetime import datetime

from booking.db.rows import fetch_tuples
from booking.db.tables import WaitingEntry
from booking.db.transactions import write_transaction
from booking.services.erasure import erase_contacts

#: Entries looked at in one transaction.
BATCH = 500
#: How an entry ends; ``expired`` is set by the offer round once the weeks are up.
ENDED = (WaitingEntry.LEFT, WaitingEntry.BOOKED, WaitingEntry.EXPIRED)


async def forget_ended(now: datetime, *, batch: int = BATCH) -> int:
    """Erases the numbers of ended entries that nothing else needs; returns how many went."""
    forgotten, after = 0, 0
    while True:
        async with write_transaction():
            rows = await fetch_tuples(
                "SELECT w.id, w.contact FROM waiting_entry AS w"
                " JOIN migrant_contact AS c ON c.id = w.contact"
                " WHERE w.status IN ({}, {}, {}) AND c.phone IS NOT NULL AND w.id > {}"
                " ORDER BY w.id LIMIT {}",
                *ENDED, after, batch,
            )  # fmt: skip
            if not rows:
                return forgotten
            forgotten += len(await erase_contacts([r[1] for r in rows], now, newer_than=None))
        after = rows[-1][0]
