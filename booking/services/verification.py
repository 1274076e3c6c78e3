"""The SMS code that turns a held appointment into a confirmed one (issue 3).

A hold keeps its slot for a few minutes. The code proves the phone number; after too many
wrong codes, or when the time is up, the hold ends and the slot is free again. The wrong
tries count per hold, whatever the resends. Codes are stored only as keyed hashes, and
sealed in the outbox until their message is sent (booking/notify/placeholders.py).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime
from enum import Enum

from booking.db.rows import fetch_tuples
from booking.db.tables import Allocation, Appointment, Message
from booking.db.transactions import write_transaction
from booking.domain.errors import CodeTriesUsedUp, HoldEnded, WrongCode
from booking.domain.policy import Policy
from booking.metrics.instruments import HOLD_ENDINGS
from booking.notify import outbox, placeholders, texts
from booking.notify.texts import code_message
from booking.notify.whatsapp import templates
from booking.services import limits, notices
from booking.services.point_setup import Catalog
from booking.services.views import AppointmentView, locked_appointment, view

CODE_DIGITS = 6


class Outcome(Enum):
    CONFIRMED = "confirmed"
    WRONG = "wrong"
    ENDED = "ended"
    USED_UP = "tries_used_up"


def new_code(policy: Policy, salt: str) -> tuple[str, str]:
    """A 6-digit code and the keyed hash stored instead; ``salt`` is the manage-token hash,
    known before the appointment row exists, so the hash goes into the row's INSERT."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    return code, policy.keyed_hash("code", salt, code)


async def queue_code(
    policy: Policy, code: str, appointment_id: int, contact_id: int, language: str, now: datetime
) -> None:
    """The text message that carries ``code`` to the person: sealed until it is sent."""
    minutes = int(policy.hold.total_seconds() // 60)
    name, variables = templates.stored(
        texts.CODE, language, code=placeholders.CODE, minutes=minutes
    )
    await outbox.enqueue(
        kind=Message.CODE,
        language=language,
        body=code_message(placeholders.CODE, minutes, language),
        template=name,
        variables=variables,
        seed=placeholders.seal_code(policy, code),
        appointment_id=appointment_id,
        contact_id=contact_id,
        due_at=now,
    )


async def verify(
    catalog: Catalog, policy: Policy, token: str, code: str, *, now: datetime
) -> AppointmentView:
    """Confirms the appointment if ``code`` is right; entering it twice is harmless.

    Raises:
        WrongCode: with the attempts left; the count is saved before raising.
        CodeTriesUsedUp: this was the last wrong code the hold allows (the slot is free).
        HoldEnded: the time is up, or the hold ended before (the slot is then free).
    """
    async with write_transaction():
        row = await locked_appointment(token)
        outcome, left = await _settle(catalog, policy, row, code.strip(), now)
    HOLD_ENDINGS.labels(outcome.value).inc()
    if outcome is Outcome.WRONG:
        raise WrongCode("code", num=left)
    if outcome is Outcome.ENDED:
        raise HoldEnded("code")
    if outcome is Outcome.USED_UP:
        raise CodeTriesUsedUp("code", num=policy.max_code_attempts)
    return await view(catalog, {**row, "status": Appointment.CONFIRMED, "held_until": None})


async def _settle(
    catalog: Catalog, policy: Policy, row: Mapping, code: str, now: datetime
) -> tuple[Outcome, int]:
    if row["status"] == Appointment.CONFIRMED:
        return Outcome.CONFIRMED, 0
    if row["status"] != Appointment.HELD or row["held_until"] <= now:
        await end_hold(row["id"], now)
        return Outcome.ENDED, 0
    expected = row["code_hash"] or ""
    if hmac.compare_digest(policy.keyed_hash("code", row["manage_token_hash"], code), expected):
        await confirm(row["id"], now)
        await notices.confirmed(catalog, policy, row["id"], now)
        return Outcome.CONFIRMED, 0
    [(attempts,)] = await fetch_tuples(
        "UPDATE appointment SET code_attempts = code_attempts + 1 WHERE id = {}"
        " RETURNING code_attempts",
        row["id"],
    )
    if attempts >= policy.max_code_attempts:
        await end_hold(row["id"], now)
        return Outcome.USED_UP, 0
    return Outcome.WRONG, policy.max_code_attempts - attempts


async def confirm(appointment_id: int, now: datetime) -> None:
    """A held appointment becomes confirmed: its holds no longer expire."""
    await Appointment.update(
        {
            Appointment.status: Appointment.CONFIRMED,
            Appointment.held_until: None,
            Appointment.code_hash: None,
            Appointment.updated_at: now,
        }
    ).where(Appointment.id == appointment_id)
    await Allocation.update({Allocation.expires_at: None}).where(
        (Allocation.appointment == appointment_id) & (Allocation.live == True)
    )
    await outbox.cancel_pending(appointment_id, [Message.CODE])


async def resend_code(policy: Policy, token: str, *, now: datetime) -> None:
    """A new code for a hold that is still waiting, within the per-number hourly limit."""
    async with write_transaction():
        row = await locked_appointment(token)
        if row["status"] != Appointment.HELD or row["held_until"] <= now:
            raise HoldEnded("code")
        phone = await Appointment.select(Appointment.contact.phone.as_alias("phone")).where(
            Appointment.id == row["id"]
        )
        await limits.check_codes(policy, phone[0]["phone"], now)
        code, hashed = new_code(policy, row["manage_token_hash"])
        await outbox.cancel_pending(row["id"], [Message.CODE])
        # The wrong tries are the hold's, not the code's: a new code never resets them.
        await Appointment.update({Appointment.code_hash: hashed}).where(Appointment.id == row["id"])
        await queue_code(policy, code, row["id"], row["contact"], row["language"], now)


async def end_hold(appointment_id: int, now: datetime) -> None:
    """Ends a hold: the appointment is cancelled, its slot free, an unsent code withdrawn."""
    await Appointment.update(
        {
            Appointment.status: Appointment.CANCELLED,
            Appointment.code_hash: None,
            Appointment.updated_at: now,
        }
    ).where((Appointment.id == appointment_id) & (Appointment.status == Appointment.HELD))
    await Allocation.update({Allocation.live: False}).where(
        Allocation.appointment == appointment_id
    )
    await outbox.cancel_pending(appointment_id, [Message.CODE])


async def expire_holds(now: datetime) -> int:
    """Ends every hold whose time is up (the worker runs this every minute)."""
    async with write_transaction():
        expired = await Appointment.select(Appointment.id).where(
            (Appointment.status == Appointment.HELD) & (Appointment.held_until <= now)
        )
        for row in expired:
            await end_hold(row["id"], now)
    HOLD_ENDINGS.labels("expired").inc(len(expired))
    return len(expired)
