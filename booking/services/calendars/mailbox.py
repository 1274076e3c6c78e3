"""Reading the organizer mailbox: the answers invitees send from Outlook, Thunderbird,
Apple Mail or Gmail when they press Accept, Decline or Propose new time (iTIP over iMIP).

Each round logs in over IMAPS (IMAP_* settings), looks at up to ``LIMIT`` messages not seen
before, records the answers that match a handover (mail_answers.py) and moves those
messages, and outdated answers to our handovers, to IMAP_DONE_FOLDER. Anything else stays
where it is, unread flags untouched, and is remembered so later rounds skip it. imap-tools
is synchronous: the IMAP work runs in a thread, under the connection's timeout.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass, field
from datetime import datetime

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.mailbox import BaseMailBox

from booking.domain.policy import Policy
from booking.notify.ical.answers import answers_in
from booking.services.calendars.mail_answers import NOT_OURS, take
from booking.settings import Settings

log = logging.getLogger(__name__)

#: Messages looked at per round; more wait for the next.
LIMIT = 50
#: Messages left alone are remembered per mailbox, up to this many.
REMEMBERED = 10_000


@dataclass
class Intake:
    """One process's state between rounds: the messages that are not ours."""

    skipped: set[str] = field(default_factory=set)
    validity: str = ""


@dataclass(frozen=True, slots=True)
class Round:
    recorded: int
    moved: int
    left: int


def _connect(settings: Settings, context: ssl.SSLContext | None) -> BaseMailBox:
    host, port, seconds = settings.imap_host, settings.imap_port, settings.imap_timeout_seconds
    if settings.imap_security == "tls":
        box: BaseMailBox = MailBox(host, port, timeout=seconds, ssl_context=context)
    elif settings.imap_security == "starttls":
        box = MailBoxStartTls(host, port, timeout=seconds, ssl_context=context)
    else:
        box = MailBoxUnencrypted(host, port, timeout=seconds)
    return box.login(
        settings.imap_username, settings.imap_password, initial_folder=settings.imap_folder
    )


def _fetch(
    settings: Settings, context: ssl.SSLContext | None, intake: Intake
) -> list[tuple[str, bytes]]:
    with _connect(settings, context) as box:
        validity = str(box.folder.status(settings.imap_folder).get("UIDVALIDITY", ""))
        if validity != intake.validity:  # the folder was recreated: UIDs mean other mail
            intake.skipped.clear()
            intake.validity = validity
        waiting = [uid for uid in box.uids() if uid not in intake.skipped][:LIMIT]
        if not waiting:
            return []
        found = box.fetch(uid_list=waiting, mark_seen=False, bulk=True)
        return [(message.uid or "", message.obj.as_bytes()) for message in found]


def _move(settings: Settings, context: ssl.SSLContext | None, uids: list[str]) -> None:
    with _connect(settings, context) as box:
        if not box.folder.exists(settings.imap_done_folder):
            box.folder.create(settings.imap_done_folder)
        box.move(uids, settings.imap_done_folder)


async def read_answers(
    settings: Settings,
    policy: Policy,
    now: datetime,
    intake: Intake,
    *,
    context: ssl.SSLContext | None = None,
) -> Round:
    """One round over the mailbox; ``context`` trusts a private CA (tests), else the
    system's CAs are used. IMAP errors propagate to the worker, which tries again later."""
    fetched = await asyncio.to_thread(_fetch, settings, context, intake)
    handled, recorded = [], 0
    for uid, raw in fetched:
        outcomes = [await take(answer, policy, now) for answer in answers_in(raw)]
        if outcomes and all(o != NOT_OURS for o in outcomes):
            handled.append(uid)
            recorded += outcomes.count("recorded")
        else:
            if len(intake.skipped) >= REMEMBERED:
                intake.skipped.clear()
            intake.skipped.add(uid)
    if handled:
        await asyncio.to_thread(_move, settings, context, handled)
    left = len(fetched) - len(handled)
    if fetched:
        log.info("mailbox: %d answers recorded, %d messages moved, %d left", recorded,
                 len(handled), left)  # fmt: skip
    return Round(recorded, len(handled), left)
