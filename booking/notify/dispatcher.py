"""Moves messages from the outbox to the providers: in-process with `make run`, or as
`loket worker` beside the web processes (several workers may run on one PostgreSQL)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from booking.db.tables import Appointment, Message, MigrantContact
from booking.notify import outbox
from booking.notify.outbox import Claimed
from booking.notify.sms import SendError, SmsSender

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class Dispatcher:
    """Claims due messages, re-checks that each still makes sense, sends it, records how it went."""

    def __init__(self, sms: SmsSender, clock: Callable[[], datetime]) -> None:
        self.sms = sms
        self.clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Called after a commit that queued messages, so they go out without waiting."""
        self._wake.set()

    async def run_once(self) -> int:
        """Sends one batch; returns how many messages it settled."""
        batch = await outbox.claim(self.clock())
        for message in batch:
            await self._deliver(message)
        return len(batch)

    async def run_forever(self) -> None:
        while True:
            try:
                if await self.run_once():
                    continue
            except Exception:
                log.exception("dispatcher batch failed; retrying after a pause")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)

    async def _deliver(self, message: Claimed) -> None:
        phone = await _phone(message.contact_id)
        reason = await self._reason_to_skip(message, phone)
        if reason or phone is None:
            await outbox.mark_skipped(message.id, reason or "no phone number")
            return
        try:
            provider_id = await self.sms.send(phone, message.body, kind=message.kind)
        except SendError as error:
            await outbox.mark_failed(message, str(error), self.clock(), permanent=error.permanent)
            return
        await outbox.mark_sent(message.id, provider_id, self.clock())

    async def _reason_to_skip(self, message: Claimed, phone: str | None) -> str | None:
        """Why a claimed message should not go out now: checked at send time, not queue time."""
        if message.channel != Message.SMS:
            return f"no sender for channel {message.channel}"
        if not phone:
            return "no phone number"
        if message.kind == Message.CODE and message.appointment_id is not None:
            status = (
                await Appointment.select(Appointment.status, Appointment.held_until)
                .where(Appointment.id == message.appointment_id)
                .first()
            )
            if status is None or status["status"] != Appointment.HELD:
                return "the appointment is no longer waiting for its code"
            if status["held_until"] is None or status["held_until"] <= self.clock():
                return "the hold has expired"
        return None


async def _phone(contact_id: int | None) -> str | None:
    if contact_id is None:
        return None
    row = (
        await MigrantContact.select(MigrantContact.phone)
        .where(MigrantContact.id == contact_id)
        .first()
    )
    return row["phone"] if row else None
