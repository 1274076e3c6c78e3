"""The retention job: personal data goes LOKET_RETENTION_DAYS after the appointment ends,
while the anonymous counts of the reports stay (DOMAIN.md rule 6, issue 7).

The worker runs it every hour. It must not hurt bookings even on its first run over a
year of data (issue 12), so it works in set-based batches: each batch is one short write
transaction of one statement per table over an id range of at most ``batch`` rows (no id
lists travel to the database), and the job pauses between batches so that requests take
their turn. On SQLite, where a batch holds the one writer, batches are also kept short in
time: one slower than ``TARGET_SECONDS`` halves the next, a quick one doubles it, up to
``batch``, so a booking waits for about one short batch at most. On PostgreSQL the old rows
a batch locks are ones no booking touches, so batches stay at ``batch``.

It keeps no state of its own: what is left to do is read from the rows (``erased_at`` is
still empty, a link or a text is still there). A run killed mid-way loses only its open
batch, rolled back whole; the next run starts again and meets only what is left. Running it
twice, or in two workers at once, erases nothing twice and nothing half: every step only
empties fields or drops links, and ``erased_at`` is set once. A row that must wait (a
message still being sent) is met again in the next run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

from booking.db.rows import fetch_tuples
from booking.db.tables import CallbackRequest, Message
from booking.db.transactions import is_sqlite, write_transaction
from booking.domain.policy import Policy
from booking.services.erasure import UNSETTLED, erase_contacts, finish_requests
from booking.services.queue import closing
from booking.services.waitlist import forgetting

BATCH = 5000
PAUSE_SECONDS = 0.05
#: How long one batch's transaction should last at most.
TARGET_SECONDS = 0.1
#: Batches never shrink below this many rows (or ``batch``, when that is smaller).
SMALLEST = 100

#: Appointments due for erasure in one id range: parameters cutoff, after, up to.
_DUE = "erased_at IS NULL AND ends_at < {} AND id > {} AND id <= {}"
_DUE_IDS = f"SELECT id FROM appointment WHERE {_DUE}"  # noqa: S608
#: No message of the appointment is still to be sent: parameters pending, sending.
_SETTLED = (
    "NOT EXISTS (SELECT 1 FROM message AS m WHERE m.appointment = appointment.id"
    " AND m.status IN ({}, {}))"
)
#: Call-backs dealt with and asked before the cut-off, still linked to their contact.
_OLD_CALLBACKS = "contact IS NOT NULL AND status <> {} AND created_at < {} AND id > {} AND id <= {}"


class Pace:
    """The size of the next batch: ``most``, or (``timed``) from how long the last one took."""

    def __init__(self, most: int, *, timed: bool) -> None:
        self.most, self.least, self.timed = most, min(most, SMALLEST), timed
        self.size = min(most, 1000) if timed else most

    def took(self, seconds: float) -> None:
        if not self.timed:
            return
        if seconds > TARGET_SECONDS:
            self.size = max(self.least, self.size // 2)
        elif seconds < TARGET_SECONDS / 2:
            self.size = min(self.most, self.size * 2)


@dataclass(frozen=True, slots=True)
class Erased:
    """What one run erased, for the log (counts only)."""

    appointments: int = 0
    contacts: int = 0

    def __add__(self, other: Erased) -> Erased:
        return Erased(self.appointments + other.appointments, self.contacts + other.contacts)


async def run(
    policy: Policy, now: datetime, *, batch: int = BATCH, pause: float = PAUSE_SECONDS
) -> Erased:
    """Erases everything that is due now; cheap when nothing is (partial indexes).

    The numbers of closed walk-in queue entries (the worker closes past days every minute)
    and of ended waiting-list entries go without waiting for the retention time: nothing is
    kept for them (booking/services/queue/closing.py, booking/services/waitlist/forgetting.py).
    """
    cutoff = now - policy.retention
    erased = await _old_appointments(cutoff, now, batch, pause)
    erased += await _old_callbacks(cutoff, now, batch, pause)
    ended = await closing.forget_numbers(now) + await forgetting.forget_ended(now)
    return erased + Erased(contacts=ended + await finish_requests(now, batch=batch))


async def _batch_end(table: str, where: str, after: int, batch: int, *args: object) -> int | None:
    """The last id of the next ``batch`` rows of ``table`` past ``after`` that match."""
    sql = (
        f"SELECT max(id) FROM (SELECT id FROM {table} WHERE {where} AND id > {{}}"  # noqa: S608
        " ORDER BY id LIMIT {}) AS batch"
    )
    return (await fetch_tuples(sql, *args, after, batch))[0][0]


async def _old_appointments(cutoff: datetime, now: datetime, batch: int, pause: float) -> Erased:
    """Appointments that ended before ``cutoff``, and their contacts if nothing newer needs them.

    A message still queued for such an old appointment is withdrawn: nobody needs a text
    about an appointment that long past. One being sent right now is left to finish; its
    appointment keeps the link to the contact until then.
    """
    erased, after, pace = Erased(), 0, Pace(batch, timed=is_sqlite())
    while True:
        started = time.monotonic()
        async with write_transaction():
            upto = await _batch_end(
                "appointment", "erased_at IS NULL AND ends_at < {}", after, pace.size, cutoff
            )
            if upto is None:
                return erased
            due = (cutoff, after, upto)
            await fetch_tuples(
                f"UPDATE message SET status = {{}}, seed = NULL WHERE status = {{}} AND appointment IN ({_DUE_IDS})",  # noqa: S608
                Message.CANCELLED, Message.PENDING, *due,
            )  # fmt: skip
            await fetch_tuples(
                f"UPDATE handover SET note = '' WHERE note <> '' AND appointment IN ({_DUE_IDS})",  # noqa: S608
                *due,
            )
            await fetch_tuples(
                "UPDATE appointment SET code_hash = NULL, manage_token_hash = NULL,"  # noqa: S608
                f" manage_salt = NULL WHERE {_DUE} AND (code_hash IS NOT NULL"
                " OR manage_token_hash IS NOT NULL OR manage_salt IS NOT NULL)",
                *due,
            )
            await fetch_tuples(
                "UPDATE message SET body = '', variables = NULL, seed = NULL, provider_id = NULL,"  # noqa: S608
                " contact = NULL"
                f" WHERE appointment IN ({_DUE_IDS}) AND status NOT IN ({{}}, {{}})"
                " AND (body <> '' OR provider_id IS NOT NULL OR contact IS NOT NULL)",
                *due, *UNSETTLED,
            )  # fmt: skip
            contacts = await fetch_tuples(
                f"SELECT DISTINCT contact FROM appointment WHERE {_DUE}"  # noqa: S608
                f" AND contact IS NOT NULL AND {_SETTLED}",
                *due, *UNSETTLED,
            )  # fmt: skip
            done = await fetch_tuples(
                f"UPDATE appointment SET contact = NULL, erased_at = {{}} WHERE {_DUE}"  # noqa: S608
                f" AND {_SETTLED} RETURNING id",
                now, *due, *UNSETTLED,
            )  # fmt: skip
            freed = await erase_contacts([r[0] for r in contacts], now, newer_than=cutoff)
            erased += Erased(len(done), len(freed))
        after = upto
        pace.took(time.monotonic() - started)
        await asyncio.sleep(pause)


async def _old_callbacks(cutoff: datetime, now: datetime, batch: int, pause: float) -> Erased:
    """Call-backs asked before ``cutoff`` and dealt with: they let go of the contact, which
    is erased too unless something newer needs it (then that erases it later)."""
    erased, after, pace = Erased(), 0, Pace(batch, timed=is_sqlite())
    while True:
        started = time.monotonic()
        async with write_transaction():
            upto = await _batch_end(
                "callback_request",
                "contact IS NOT NULL AND status <> {} AND created_at < {}",
                after, pace.size, CallbackRequest.OPEN, cutoff,
            )  # fmt: skip
            if upto is None:
                return erased
            old = (CallbackRequest.OPEN, cutoff, after, upto)
            contacts = await fetch_tuples(
                f"SELECT DISTINCT contact FROM callback_request WHERE {_OLD_CALLBACKS}",  # noqa: S608
                *old,
            )
            await fetch_tuples(
                f"UPDATE callback_request SET contact = NULL WHERE {_OLD_CALLBACKS}",  # noqa: S608
                *old,
            )
            freed = await erase_contacts([r[0] for r in contacts], now, newer_than=cutoff)
            erased += Erased(contacts=len(freed))
        after = upto
        pace.took(time.monotonic() - started)
        await asyncio.sleep(pause)
