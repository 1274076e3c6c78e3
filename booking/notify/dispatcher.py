"""Moves messages from the outbox to the provider: in-process with `make run`, or as
`loket worker` beside the web processes (several workers may run on one PostgreSQL).

Three channels share the outbox. An SMS or WhatsApp text is re-checked at send time (STOP,
quiet hours, a stale appointment), and only then gets its manage link and code
(booking/notify/placeholders.py); a WhatsApp text goes free-form, as a template or by SMS
(booking/notify/whatsapp/). An e-mail is a calendar message and goes out as written:
every iTIP REQUEST or CANCEL carries its own SEQUENCE, calendar clients ignore older ones,
and a CANCEL must still go out after the appointment is cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.db.tables import Appointment, Message, MigrantContact
from booking.domain.opening_hours import zone
from booking.domain.policy import Policy
from booking.domain.reminders import at_send_time
from booking.metrics import instruments
from booking.notify import opt_out, outbox, placeholders
from booking.notify.mail import MailSender
from booking.notify.outbox import Claimed
from booking.notify.sms import SendError, SmsSender
from booking.notify.whatsapp.route import route
from booking.notify.whatsapp.sender import Content, WhatsappSender

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
#: Small claims: what a crash strands waits out its lease; a clean stop gives it back.
BATCH = 32
#: Kinds about the appointment's current time: they go stale when it changes.
ABOUT_THE_TIME = (Message.CONFIRMATION, Message.REMINDER, Message.CHANGE)
#: Channels to a contact's phone: re-checked at send time.
TEXTS = (Message.SMS, Message.WHATSAPP)


@dataclass(frozen=True, slots=True)
class State:
    """What an appointment is now, read once per batch."""

    status: str
    sequence: int
    starts_at: datetime
    held_until: datetime | None
    timezone: str
    #: Derives the manage token again; None once the appointment's data is erased.
    manage_salt: str | None


class Dispatcher:
    """Claims due messages, re-checks each one, sends it, and records how it went."""

    def __init__(
        self,
        sms: SmsSender,
        clock: Callable[[], datetime],
        policy: Policy,
        *,
        mail: MailSender,
        whatsapp: WhatsappSender | None = None,
        lease: timedelta = outbox.LEASE,
        in_flight: int = 1,
    ) -> None:
        self.sms = sms
        #: None: no WhatsApp sender, WhatsApp texts go by SMS.
        self.whatsapp = whatsapp
        self.mail = mail
        self.clock = clock
        self.policy = policy
        self.lease = lease
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(in_flight)
        self._stopping = False

    def wake(self) -> None:
        """Called after a commit that queued messages, so they go out without waiting."""
        self._wake.set()

    def stop(self) -> None:
        """A clean stop (SIGTERM): sends already with the provider finish and are recorded,
        claimed messages not yet sent go back to the queue, and ``run_forever`` returns."""
        self._stopping = True
        self._wake.set()

    async def run_once(self) -> int:
        """Sends one batch; returns how many messages it settled."""
        batch = await outbox.claim(self.clock(), BATCH, lease=self.lease)
        if not batch:
            return 0
        texts = [m for m in batch if m.channel in TEXTS]
        phones = await _phones({m.contact_id for m in texts if m.contact_id})
        states = await _states({m.appointment_id for m in texts if m.appointment_id})
        stopped = await opt_out.stopped(self.policy, set(phones.values()))
        seen = await _seen({m.contact_id for m in texts if m.channel == Message.WHATSAPP})
        await asyncio.gather(*(self._deliver(m, phones, states, stopped, seen) for m in batch))
        return len(batch)

    async def run_forever(self) -> None:
        while not self._stopping:
            try:
                if await self.run_once():
                    continue
            except Exception:
                log.exception("dispatcher batch failed; retrying after a pause")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)

    async def _deliver(
        self,
        message: Claimed,
        phones: Mapping[int, str],
        states: Mapping[int, State],
        stopped: set[str],
        seen: Mapping[int, datetime | None],
    ) -> None:
        if message.channel in TEXTS:
            await self._deliver_text(message, phones, states, stopped, seen)
        elif message.channel == Message.EMAIL:
            await self._deliver_email(message)
        else:
            await outbox.mark_skipped(message.id, f"no sender for channel {message.channel}")

    async def _deliver_text(
        self,
        message: Claimed,
        phones: Mapping[int, str],
        states: Mapping[int, State],
        stopped: set[str],
        seen: Mapping[int, datetime | None],
    ) -> None:
        phone = phones.get(message.contact_id or 0)
        state = states.get(message.appointment_id or 0)
        reason = self._reason_to_skip(message, phone, state, stopped)
        if reason:
            await outbox.mark_skipped(message.id, reason)
            return
        if message.kind == Message.REMINDER and state is not None:
            later = at_send_time(
                self.clock(), state.starts_at, tz=zone(state.timezone), quiet=self.policy.quiet
            )
            if later is not None:
                if later > state.starts_at - self.policy.quiet.least_notice:
                    await outbox.mark_skipped(message.id, "quiet hours until the appointment")
                else:
                    await outbox.postpone(message.id, later)
                return
        link = self._link(message, state)
        text = placeholders.fill(self.policy, message.body, link=link, seed=message.seed)
        if text is None:
            await outbox.mark_skipped(message.id, "its link or code can no longer be made")
            return
        to = phone or ""  # _reason_to_skip made sure there is one
        by_sms = lambda: self.sms.send(to, text, kind=message.kind)  # noqa: E731
        whatsapp = None
        if message.channel == Message.WHATSAPP:
            whatsapp = self._by_whatsapp(message, text, to, link, seen.get(message.contact_id or 0))
        if whatsapp is None:
            await self._send(message, by_sms, channel=Message.SMS, phone=to)
        else:
            await self._send(message, whatsapp, channel=Message.WHATSAPP, fallback=by_sms, phone=to)

    def _by_whatsapp(
        self, message: Claimed, text: str, to: str, link: str, seen_at: datetime | None
    ) -> Callable[[], Awaitable[str]] | None:
        """The WhatsApp send of a text, or None when it goes by SMS: no WhatsApp sender, or
        outside the window no template for it (logged by message id, never the number)."""
        sender = self.whatsapp
        way = route(
            message.template,
            message.language,
            seen_at,
            self.clock(),
            sender.templates if sender else {},
        )
        filled = None
        if way.content_sid and message.variables:
            filled = placeholders.fill(self.policy, message.variables, link=link, seed=message.seed)
        if sender is None or way.by_sms or (way.content_sid and filled is None):
            log.info(
                "message %d: no WhatsApp sender or template %r in %s, sent by SMS",
                message.id,
                message.template,
                message.language,
            )
            return None
        content = Content(way.content_sid, filled) if way.content_sid and filled else None
        return lambda: sender.send(to, text, kind=message.kind, content=content)

    def _link(self, message: Claimed, state: State | None) -> str:
        """The manage link (an offer's: its offer link); once the appointment is erased (its token no longer works), the
        booking start page in the message's language."""
        salt = state.manage_salt if state else None
        if message.kind == Message.OFFER and salt:
            return self.policy.offer_url(self.policy.manage_token(salt))
        link = placeholders.manage_link(self.policy, salt)
        return link or f"{self.policy.public_base_url}/{message.language}/"

    async def _deliver_email(self, message: Claimed) -> None:
        """No STOP, quiet hours or sequence check here: see the module's docstring."""
        if not message.email:
            await outbox.mark_skipped(message.id, "no e-mail address")
            return
        if not message.body:
            await outbox.mark_skipped(message.id, "the message was erased")
            return
        to = message.email
        await self._send(message, lambda: self.mail.send(to, message.body, kind=message.kind))

    async def _send(
        self,
        message: Claimed,
        send: Callable[[], Awaitable[str]],
        *,
        channel: str | None = None,
        fallback: Callable[[], Awaitable[str]] | None = None,
        phone: str | None = None,
    ) -> None:
        """Hands one message to its provider within the in-flight limit, then records it.
        ``fallback`` sends it by SMS, once, when ``send`` fails permanently (WhatsApp)."""
        tries = [(channel or message.channel, send)]
        if fallback is not None:
            tries.append((Message.SMS, fallback))
        async with self._slots:
            if self._stopping:
                await outbox.release(message.id)
                return
            for number, (used, attempt) in enumerate(tries, 1):
                try:
                    provider_id = await attempt()
                    break
                except SendError as error:
                    if number < len(tries) and error.permanent and not error.opted_out:
                        log.info("message %d: %s by %s, sent by SMS", message.id, error, used)
                        continue
                    instruments.send_failed(
                        used, permanent=error.permanent, opted_out=error.opted_out
                    )
                    if error.opted_out and phone:
                        await opt_out.stop(self.policy, phone, self.clock())
                    await outbox.mark_failed(
                        message, str(error), self.clock(), permanent=error.permanent
                    )
                    return
            # The provider has the message now. If this process dies before the next line
            # commits, the lease runs out and another dispatcher sends it again: at least
            # once, never lost. The slot is held until the answer is written down, so sends
            # never run ahead of their records: at most ``in_flight`` answers are unrecorded.
            await outbox.mark_sent(message.id, provider_id, self.clock(), channel=used)
        instruments.SENDS.labels(used).inc()

    def _reason_to_skip(
        self, message: Claimed, phone: str | None, state: State | None, stopped: set[str]
    ) -> str | None:
        """Why a claimed SMS should not go out now: checked at send time, not queue time."""
        if not phone:
            return "no phone number"
        if message.kind != Message.CODE and phone in stopped:
            return "the number opted out (STOP)"
        if message.appointment_id is None:
            return None
        if state is None:
            return "the appointment is gone"
        if message.kind == Message.OFFER and self.policy.quiet.contains(
            self.clock(), zone(state.timezone)
        ):
            return "an offer from the waiting list in quiet hours"
        if message.kind in (Message.CODE, Message.OFFER):
            if (
                state.status != Appointment.HELD
                or not state.held_until
                or state.held_until <= self.clock()
            ):
                return "the appointment is no longer waiting for its code"
            return None
        if (
            message.appointment_sequence is not None
            and message.appointment_sequence != state.sequence
        ):
            return "the appointment changed since this was written"
        if message.kind in ABOUT_THE_TIME and state.status != Appointment.CONFIRMED:
            return f"the appointment is {state.status}"
        return None


async def _phones(contact_ids: set[int]) -> dict[int, str]:
    if not contact_ids:
        return {}
    rows = await MigrantContact.select(MigrantContact.id, MigrantContact.phone).where(
        MigrantContact.id.is_in(list(contact_ids))
    )
    return {r["id"]: r["phone"] for r in rows if r["phone"]}


async def _seen(contact_ids: set[int | None]) -> dict[int, datetime | None]:
    """When each WhatsApp contact last wrote to us (the 24-hour window)."""
    ids = [i for i in contact_ids if i]
    if not ids:
        return {}
    rows = await MigrantContact.select(MigrantContact.id, MigrantContact.whatsapp_seen_at).where(
        MigrantContact.id.is_in(ids)
    )
    return {r["id"]: r["whatsapp_seen_at"] for r in rows}


async def _states(appointment_ids: set[int]) -> dict[int, State]:
    if not appointment_ids:
        return {}
    rows = await Appointment.select(
        Appointment.id,
        Appointment.status,
        Appointment.sequence,
        Appointment.starts_at,
        Appointment.held_until,
        Appointment.point.timezone.as_alias("timezone"),
        Appointment.manage_salt,
    ).where(Appointment.id.is_in(list(appointment_ids)))
    return {
        r["id"]: State(
            r["status"],
            r["sequence"],
            r["starts_at"],
            r["held_until"],
            r["timezone"],
            r["manage_salt"],
        )
        for r in rows
    }
