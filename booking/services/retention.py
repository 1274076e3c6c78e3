"""The retention job: personal data goes LOKET_RETENTION_DAYS after the appointment ends,
while the anonymous counts of the reports stay (DOMAIN.md rule 6, issue 7).

The worker runs it every hour. Each batch is one transaction; the batches walk by id, so a
row that must wait (a message still being sent) is simply met again in the next run. Running
it twice, or in two workers at once, erases nothing twice and nothing half: every step only
empties fields or drops links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from booking.db.tables import Appointment, CallbackRequest, Message
from booking.db.transactions import write_transaction
from booking.domain.policy import Policy
from booking.services.erasure import erase_appointments, erase_contacts, finish_requests

BATCH = 200


@dataclass(frozen=True, slots=True)
class Erased:
    """What one run erased, for the log (counts only)."""

    appointments: int = 0
    contacts: int = 0

    def __add__(self, other: Erased) -> Erased:
        return Erased(self.appointments + other.appointments, self.contacts + other.contacts)


async def run(policy: Policy, now: datetime, *, batch: int = BATCH) -> Erased:
    """Erases everything that is due now; cheap when nothing is (partial indexes)."""
    cutoff = now - policy.retention
    erased = await _old_appointments(cutoff, now, batch) + await _old_callbacks(cutoff, now, batch)
    return erased + Erased(contacts=await finish_requests(now, batch=batch))


async def _old_appointments(cutoff: datetime, now: datetime, batch: int) -> Erased:
    """Appointments that ended before ``cutoff``, and their contacts if nothing newer needs them.

    A message still queued for such an old appointment is withdrawn: nobody needs a text
    about an appointment that long past. One being sent right now is left to finish.
    """
    erased, after = Erased(), 0
    while True:
        async with write_transaction():
            rows = await (
                Appointment.select(Appointment.id, Appointment.contact)
                .where(
                    Appointment.erased_at.is_null()
                    & (Appointment.ends_at < cutoff)
                    & (Appointment.id > after)
                )
                .order_by(Appointment.id)
                .limit(batch)
            )
            if not rows:
                return erased
            ids = [r["id"] for r in rows]
            await Message.update({Message.status: Message.CANCELLED, Message.seed: None}).where(
                Message.appointment.is_in(ids) & (Message.status == Message.PENDING)
            )
            done = await erase_appointments(ids, now)
            contacts = await erase_contacts(
                [r["contact"] for r in rows if r["contact"] is not None], now, newer_than=cutoff
            )
            erased += Erased(len(done), len(contacts))
        after = ids[-1]


async def _old_callbacks(cutoff: datetime, now: datetime, batch: int) -> Erased:
    """Call-backs asked before ``cutoff`` and dealt with: they let go of the contact, which
    is erased too unless something newer needs it (then that erases it later)."""
    erased, after = Erased(), 0
    while True:
        async with write_transaction():
            rows = await (
                CallbackRequest.select(CallbackRequest.id, CallbackRequest.contact)
                .where(
                    CallbackRequest.contact.is_not_null()
                    & (CallbackRequest.status != CallbackRequest.OPEN)
                    & (CallbackRequest.created_at < cutoff)
                    & (CallbackRequest.id > after)
                )
                .order_by(CallbackRequest.id)
                .limit(batch)
            )
            if not rows:
                return erased
            ids = [r["id"] for r in rows]
            await CallbackRequest.update({CallbackRequest.contact: None}).where(
                CallbackRequest.id.is_in(ids)
            )
            contacts = await erase_contacts([r["contact"] for r in rows], now, newer_than=cutoff)
            erased += Erased(contacts=len(contacts))
        after = ids[-1]
