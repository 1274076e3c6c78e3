"""The outbox: rows written with the change that causes them, claimed and settled by dispatchers.

Delivery is at least once. A dispatcher claims a batch under a lease (PostgreSQL: FOR UPDATE
SKIP LOCKED, so several workers never claim one row; SQLite: one writer at a time), sends
outside any transaction, then records the outcome. If a worker dies after the provider
accepted a message but before ``mark_sent`` commits, the lease runs out and the message is
sent again: a rare duplicate is the price of never losing one. The window is kept to the
one UPDATE after the provider's answer, written as each answer comes (never per batch),
and a dispatcher has at most LOKET_SENDS_IN_FLIGHT (1) messages in it: so one crash sends at
most that many twice (README, "Text messages"; measured by ``bench/dispatch.py --crash``).
That UPDATE also empties the sealed code: once a message is settled (sent, skipped, failed
or withdrawn) nothing at rest can rebuild it; a WhatsApp code keeps it until WhatsApp says
delivered or failed, so that a permanent failure can still send it by SMS.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.db.rows import fetch_tuples, insert_returning_id
from booking.db.tables import Message, MigrantContact
from booking.db.transactions import is_sqlite, write_transaction

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A message a dispatcher now owns until its lease ends."""

    id: int
    channel: str
    kind: str
    appointment_id: int | None
    appointment_sequence: int | None
    contact_id: int | None
    email: str | None
    language: str
    body: str
    attempts: int
    #: A code message's sealed code (booking/notify/placeholders.py).
    seed: str | None
    #: A WhatsApp template's name and variables (booking/notify/whatsapp/templates.py).
    template: str | None = None
    variables: str | None = None


async def enqueue(
    *,
    kind: str,
    language: str,
    body: str,
    seed: str | None = None,
    template: str | None = None,
    variables: str | None = None,
    channel: str | None = None,
    appointment_id: int | None = None,
    appointment_sequence: int | None = None,
    contact_id: int | None = None,
    email: str | None = None,
    due_at: datetime,
) -> int:
    """Adds a message; call inside the transaction of the change that causes it.

    ``body`` holds placeholders, not the manage link or the code; ``seed`` is the sealed
    code of a code message (booking/notify/placeholders.py). A text to a contact goes by
    the channel they chose, SMS or WhatsApp, unless ``channel`` says otherwise.
    """
    if channel is None:
        channel = await _chosen_channel(contact_id)
    [message_id] = await insert_returning_id(
        Message,
        [
            {
                "channel": channel,
                "kind": kind,
                "language": language,
                "body": body,
                "seed": seed,
                "template": template,
                "variables": variables,
                "appointment": appointment_id,
                "appointment_sequence": appointment_sequence,
                "contact": contact_id,
                "email": email,
                "status": Message.PENDING,
                "due_at": due_at,
                "attempts": 0,
                "created_at": due_at,
            }
        ],
    )
    return message_id


def text_channel(chosen: str | None) -> str:
    """The outbox channel of a contact's choice (MigrantContact.text_channel)."""
    return Message.WHATSAPP if chosen == MigrantContact.WHATSAPP else Message.SMS


async def _chosen_channel(contact_id: int | None) -> str:
    if contact_id is None:
        return Message.SMS
    row = await (
        MigrantContact.select(MigrantContact.text_channel)
        .where(MigrantContact.id == contact_id)
        .first()
    )
    return text_channel(row["text_channel"] if row else None)


async def claim(now: datetime, limit: int = 20, *, lease: timedelta = LEASE) -> list[Claimed]:
    """Takes up to ``limit`` due messages (and ones whose lease ran out) for this dispatcher."""
    lock = "" if is_sqlite() else " FOR UPDATE SKIP LOCKED"
    async with write_transaction():
        rows = await fetch_tuples(
            "UPDATE message SET status = 'sending', lease_until = {}, attempts = attempts + 1"  # noqa: S608
            " WHERE id IN (SELECT id FROM message WHERE (status = 'pending' AND due_at <= {})"
            " OR (status = 'sending' AND lease_until < {})"
            f" ORDER BY due_at LIMIT {{}}{lock})"
            " RETURNING id, channel, kind, appointment, appointment_sequence, contact, email,"
            " language, body, attempts, seed, template, variables",
            now + lease,
            now,
            now,
            limit,
        )
    return [Claimed(*row) for row in rows]


async def mark_sent(
    message_id: int, provider_id: str | None, now: datetime, *, channel: str | None = None
) -> None:
    """Records the provider's id, and the channel it went by when that was not the queued
    one. A WhatsApp code keeps its sealed code until WhatsApp reports it delivered, so a
    permanent failure can still send it by SMS (``fall_back``)."""
    values = {
        Message.status: Message.SENT,
        Message.provider_id: provider_id,
        Message.sent_at: now,
        Message.lease_until: None,
        Message.last_error: None,
    }
    if channel is not None:
        values[Message.channel] = channel
    if channel != Message.WHATSAPP:
        values[Message.seed] = None
    await Message.update(values).where(Message.id == message_id)


async def fall_back(provider_id: str, reason: str, now: datetime) -> bool:
    """Queues a WhatsApp message WhatsApp could not deliver again as an SMS, once: the row
    becomes an SMS, so a second failure is an SMS failure. Returns whether it did."""
    changed = (
        await Message.update(
            {
                Message.channel: Message.SMS,
                Message.status: Message.PENDING,
                Message.due_at: now,
                Message.lease_until: None,
                Message.provider_id: None,
                Message.last_error: reason[:300],
            }
        )
        .where(
            (Message.provider_id == provider_id)
            & (Message.channel == Message.WHATSAPP)
            & Message.status.is_in([Message.SENDING, Message.SENT])
        )
        .returning(Message.id)
    )
    return bool(changed)


async def postpone(message_id: int, until: datetime) -> None:
    """Back to the queue until ``until`` (quiet hours), without counting an attempt."""
    await Message.update(
        {
            Message.status: Message.PENDING,
            Message.lease_until: None,
            Message.due_at: until,
            Message.attempts: Message.attempts - 1,
        }
    ).where(Message.id == message_id)


async def release(message_id: int) -> None:
    """Gives back a claimed message that was never handed to the provider (a clean stop),
    so another dispatcher takes it at once instead of after the lease, without an attempt."""
    await Message.update(
        {
            Message.status: Message.PENDING,
            Message.lease_until: None,
            Message.attempts: Message.attempts - 1,
        }
    ).where((Message.id == message_id) & (Message.status == Message.SENDING))


async def mark_skipped(message_id: int, reason: str) -> None:
    """Not sent on purpose (the appointment changed, the person opted out...)."""
    await Message.update(
        {
            Message.status: Message.SKIPPED,
            Message.lease_until: None,
            Message.last_error: reason,
            Message.seed: None,
        }
    ).where(Message.id == message_id)


async def mark_failed(message: Claimed, error: str, now: datetime, *, permanent: bool) -> None:
    """Retries a temporary failure with exponential backoff and jitter, up to MAX_ATTEMPTS."""
    if permanent or message.attempts >= MAX_ATTEMPTS:
        values = {Message.status: Message.FAILED, Message.lease_until: None, Message.seed: None}
    else:
        delay = FIRST_RETRY * 2 ** (message.attempts - 1)
        values = {
            Message.status: Message.PENDING,
            Message.lease_until: None,
            Message.due_at: now + delay * random.uniform(0.8, 1.2),
        }
    await Message.update({**values, Message.last_error: error[:300]}).where(
        Message.id == message.id
    )


async def cancel_pending(appointment_id: int, kinds: Sequence[str]) -> None:
    """Withdraws messages of these kinds that have not gone out yet (e.g. an unused code),
    and forgets the sealed code of one WhatsApp has not yet reported on (``mark_sent``)."""
    await Message.update({Message.status: Message.CANCELLED, Message.seed: None}).where(
        (Message.appointment == appointment_id)
        & Message.kind.is_in(list(kinds))
        & (Message.status == Message.PENDING)
    )
    if Message.CODE in kinds:
        await Message.update({Message.seed: None}).where(
            (Message.appointment == appointment_id)
            & (Message.kind == Message.CODE)
            & Message.seed.is_not_null()
        )


#: Twilio's delivery statuses Loket keeps, and the statuses each may follow: callbacks can
#: arrive out of order, and a "sent" after a "delivered" must not undo it.
DELIVERY = {
    "sent": (Message.SENT, (Message.SENDING,)),
    "delivered": (Message.DELIVERED, (Message.SENDING, Message.SENT, Message.UNDELIVERED)),
    "undelivered": (Message.UNDELIVERED, (Message.SENDING, Message.SENT)),
    "failed": (Message.FAILED, (Message.SENDING, Message.SENT)),
    # WhatsApp's last word: the person opened it.
    "read": (Message.DELIVERED, (Message.SENDING, Message.SENT, Message.UNDELIVERED)),
}


async def record_delivery(provider_id: str, provider_status: str, error_code: str | None) -> bool:
    """Applies a provider's status callback; returns whether it changed a message."""
    if provider_status not in DELIVERY:
        return False
    status, after = DELIVERY[provider_status]
    values: dict = {Message.status: status}
    if status != Message.SENT:  # settled: a WhatsApp code needs its sealed code no more
        values[Message.seed] = None
    if error_code:
        values[Message.last_error] = f"provider code {error_code}"[:300]
    changed = (
        await Message.update(values)
        .where((Message.provider_id == provider_id) & Message.status.is_in(list(after)))
        .returning(Message.id)
    )
    return bool(changed)
