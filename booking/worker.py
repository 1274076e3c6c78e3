"""Loket's background work: sending the outbox, ending expired holds, erasing personal data,
reading people's own calendars for busy times and the organizer mailbox for answers.

`make run` runs it inside the web process; in production run `loket worker` beside the
web processes (LOKET_IN_PROCESS_WORKER=off there). Several workers may run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from booking.domain.policy import Policy
from booking.metrics import heartbeat
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer, MailSender, SmtpSender
from booking.notify.sms import EmbeddedSender, SmsSender
from booking.notify.whatsapp.sender import EmbeddedWhatsapp, WhatsappSender
from booking.services import erasure, retention
from booking.services.auth import sessions
from booking.services.calendars import mailbox, polling
from booking.services.point_setup import Catalog
from booking.services.queue import closing
from booking.services.rollup import refresh as rollup
from booking.services.verification import expire_holds
from booking.services.waitlist.offers import offer_round
from booking.settings import Settings

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 60
#: How often the calendar loop wakes; each source and the mailbox keep their own interval.
CALENDAR_SECONDS = 30
#: The retention job runs this often (and at start); asked-for erasures every housekeeping round.
RETENTION_EVERY = timedelta(hours=1)
#: How often the report roll-up takes in the days changed since.
ROLLUP_SECONDS = 60
#: How often the waiting list looks for freed times to offer (the issue: within minutes).
OFFER_SECONDS = 60
#: How long a web process's shutdown waits for its in-process worker's sends to finish.
STOP_SECONDS = 10


def sms_sender(settings: Settings) -> SmsSender:
    """Twilio when its account SID and token are set; else the embedded backend."""
    if settings.twilio_enabled:
        from booking.notify.twilio_sms import TwilioSender

        return TwilioSender(settings)
    return EmbeddedSender(keep=settings.dev_pages)


def whatsapp_sender(settings: Settings) -> WhatsappSender | None:
    """Twilio's WhatsApp sender when TWILIO_WHATSAPP_FROM is set; the embedded backend
    without Twilio; else none, and WhatsApp texts go by SMS."""
    if settings.twilio_enabled:
        if not settings.twilio_whatsapp_from:
            return None
        from booking.notify.whatsapp.twilio import TwilioWhatsapp

        return TwilioWhatsapp(settings)
    return EmbeddedWhatsapp(settings.twilio_whatsapp_templates, keep=settings.dev_pages)


def mail_sender(settings: Settings) -> MailSender:
    """The SMTP server named by SMTP_HOST; else the embedded mailer (/dev/messages)."""
    if settings.smtp_host:
        return SmtpSender(settings)
    return EmbeddedMailer()


class Worker:
    def __init__(
        self, settings: Settings, clock: Callable[[], datetime], *, kind: str = "worker"
    ) -> None:
        self.settings = settings
        self.clock = clock
        #: ``worker`` (``loket worker``) or ``web`` (inside a web process), for heartbeats.
        self.kind = kind
        #: Made when the worker starts: the senders open connections.
        self.dispatcher: Dispatcher | None = None
        self._stopping = False

    def wake(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.wake()

    def stop(self) -> None:
        """Ends ``run`` cleanly: the dispatcher finishes its sends and gives back the rest,
        then the other loops are cancelled (they hold nothing a restart would miss)."""
        self._stopping = True
        if self.dispatcher is not None:
            self.dispatcher.stop()

    async def housekeeping(self) -> None:
        """Ends expired holds, closes the walk-in queue's past days and finishes asked-for
        erasures every minute; the retention job (which also forgets the numbers left in the
        queue and on the waiting list) and the report roll-up have loops of their own, so
        that a long first run over old data delays neither."""
        await asyncio.gather(self._every_minute(), self._retention(), self._rollup())

    async def _every_minute(self) -> None:
        while True:
            try:
                now = self.clock()
                ended = await expire_holds(now)
                if ended:
                    log.info("ended %d expired holds", ended)
                if closed := await closing.close_past_days(now):
                    log.info("closed %d walk-in queue numbers of past days", closed)
                _log_erased(retention.Erased(contacts=await erasure.finish_requests(now)))
                idle = timedelta(minutes=self.settings.staff_idle_minutes)
                if purged := await sessions.purge(now, idle):
                    log.info("deleted %d ended staff sessions", purged)
            except Exception:
                log.exception("housekeeping failed; trying again later")
            await asyncio.sleep(HOUSEKEEPING_SECONDS)

    async def _retention(self) -> None:
        policy, settings = Policy.from_settings(self.settings), self.settings
        while True:
            try:
                erased = await retention.run(
                    policy,
                    self.clock(),
                    batch=settings.retention_batch,
                    pause=settings.retention_pause_ms / 1000,
                )
                _log_erased(erased)
            except Exception:
                log.exception("the retention job failed; trying again in an hour")
            await asyncio.sleep(RETENTION_EVERY.total_seconds())

    async def _rollup(self) -> None:
        while True:
            try:
                if days := await rollup.refresh(self.clock().date()):
                    log.info("rolled up the report counts of %d days", days)
            except Exception:
                log.exception("the report roll-up failed; trying again later")
            await asyncio.sleep(ROLLUP_SECONDS)

    async def offers(self) -> None:
        """Offers freed times down the waiting list (booking/services/waitlist/offers.py)."""
        catalog, policy = Catalog(), Policy.from_settings(self.settings)
        while True:
            try:
                if offered := await offer_round(catalog, policy, now=self.clock()):
                    log.info("offered %d freed times from the waiting list", offered)
            except Exception:
                log.exception("the waiting list's offer round failed; trying again later")
            await asyncio.sleep(OFFER_SECONDS)

    async def calendars(self) -> None:
        """Busy sources due for a poll, and the mailbox when IMAP_HOST is set; a failure of
        either is logged and tried again at the next round, never a reason to stop."""
        settings, policy = self.settings, Policy.from_settings(self.settings)
        every = timedelta(minutes=settings.busy_poll_minutes)
        intake, next_mail = mailbox.Intake(), self.clock()
        while True:
            now = self.clock()
            try:
                read, failed = await polling.poll_due(
                    now,
                    every=every,
                    horizon=policy.rules.horizon,
                    seconds=settings.busy_timeout_seconds,
                    secret=policy.secret,
                )
                if read or failed:
                    log.info("busy sources: %d read, %d failing", read, failed)
            except Exception:
                log.exception("reading busy sources failed; trying again later")
            if settings.imap_host and now >= next_mail:
                next_mail = now + timedelta(seconds=settings.imap_poll_seconds)
                try:
                    await mailbox.read_answers(settings, policy, now, intake)
                except Exception as error:  # IMAP, TLS, login: logged without the message
                    log.warning("reading the mailbox failed (%s); trying again later",
                                type(error).__name__)  # fmt: skip
            await asyncio.sleep(CALENDAR_SECONDS)

    async def run(self) -> None:
        sms = sms_sender(self.settings)
        mail = mail_sender(self.settings)
        whatsapp = whatsapp_sender(self.settings)
        self.dispatcher = Dispatcher(
            sms,
            self.clock,
            Policy.from_settings(self.settings),
            mail=mail,
            whatsapp=whatsapp,
            lease=timedelta(seconds=self.settings.outbox_lease_seconds),
            in_flight=self.settings.sends_in_flight,
        )
        if self._stopping:
            self.dispatcher.stop()
        log.info("worker started: sending the outbox and keeping house")
        others = [
            asyncio.create_task(loop)
            for loop in (
                self.housekeeping(),
                self.calendars(),
                self.offers(),
                heartbeat.beat_forever(self.kind, self.clock),
            )
        ]
        try:
            await self.dispatcher.run_forever()
        finally:
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            await sms.close()
            await mail.close()
            if whatsapp is not None:
                await whatsapp.close()
        log.info("worker stopped: in-flight sends recorded, unsent messages given back")


def _log_erased(erased: retention.Erased) -> None:
    if erased.appointments or erased.contacts:
        log.info(
            "erased the personal data of %d appointments and %d contacts",
            erased.appointments,
            erased.contacts,
        )


class InProcess:
    """Starts the worker with the web app and stops it with the app."""

    def __init__(self, worker: Worker | None) -> None:
        self.worker = worker
        self._task: asyncio.Task | None = None

    def wake(self) -> None:
        if self.worker is not None:
            self.worker.wake()

    async def start(self) -> None:
        if self.worker is not None:
            self._task = asyncio.create_task(self.worker.run())

    async def stop(self) -> None:
        """Lets the worker finish its sends (a clean stop), cancelling it after STOP_SECONDS."""
        if self._task is not None and self.worker is not None:
            self.worker.stop()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, STOP_SECONDS)
