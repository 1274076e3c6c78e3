"""E-mail, the outbox's second channel: composing a message (calendar invites) and sending it.

A message is composed when it is queued and stored whole as the outbox row's body, so what
goes out is exactly what was written in the transaction of the change. It is pure ASCII
(7bit, quoted-printable or base64 parts, RFC 2047 headers): any SMTP server takes it without
8BITMIME or SMTPUTF8, which is also why addresses must be ASCII.

An invite has the shape Google Calendar and Outlook send and act on: multipart/mixed whose
first part is multipart/alternative (text/plain, then ``text/calendar; method=...``, the iMIP
part; Outlook looks for it only in the first part), followed by the same file attached as
``application/ics`` for clients that only offer attachments.
"""

from __future__ import annotations

import logging
import re
import secrets
import ssl
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import HeaderParser
from email.utils import format_datetime
from typing import Protocol

import aiosmtplib

from booking.notify.sms import SendError
from booking.settings import Settings

log = logging.getLogger(__name__)

#: SMTP with CRLF, and parts encoded to 7bit-safe forms: never raw 8-bit bodies.
POLICY = policy.SMTP.clone(cte_type="7bit")
#: The outbox's provider_id column: a longer Message-ID is cut, as PostgreSQL would refuse it
#: after the server took the message, and the message would go out again.
PROVIDER_ID_LENGTH = 64
METHOD_LINE = re.compile(rb"^METHOD:(\S+)\r?$", re.MULTILINE)


def compose(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    calendar: bytes | None = None,
    method: str | None = None,
    filename: str = "invite.ics",
    domain: str,
    date: datetime | None = None,
) -> str:
    """Builds the RFC 5322 message that the outbox stores and the dispatcher sends.

    Args:
        sender: the From header, e.g. ``Loket <loket@example.nl>`` (settings.mail_from).
        to: the recipient's address (ASCII).
        subject: any language; encoded for the header as needed.
        text: the plain-text body.
        calendar: an iCalendar object (RFC 5545 bytes) to send as an iMIP message.
        method: its iTIP METHOD (REQUEST, CANCEL...); taken from the calendar when omitted.
        filename: the attachment's name.
        domain: the right-hand side of the Message-ID (settings.mail_domain).
        date: the Date header; now by default.

    Raises:
        ValueError: the calendar has no METHOD, or one that contradicts ``method`` (Outlook
            and Gmail go by the calendar's METHOD, so a mismatch is always a bug).
    """
    message = EmailMessage(policy=POLICY)
    message["Message-ID"] = f"<{secrets.token_hex(16)}@{domain}>"
    message["Date"] = format_datetime(date or datetime.now(UTC))
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    # RFC 3834: keeps out-of-office replies and forwarding loops away from the outbox.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, charset="utf-8")
    if calendar is None:
        return message.as_string()
    method = _method(calendar, method)
    ics = calendar.decode("utf-8")
    message.add_alternative(
        ics,
        subtype="calendar",
        charset="utf-8",
        # 7bit where the file allows it (as Google does); base64 is safe for any calendar
        # client, while quoted-printable soft breaks have tripped some.
        cte="7bit" if calendar.isascii() else "base64",
        # Written method="REQUEST": the email package always quotes parameters. Equivalent in
        # MIME, and what other Python mailers send to Outlook (compat32 quotes too).
        params={"method": method},
    )
    message.make_mixed()
    message.add_attachment(calendar, "application", "ics", filename=filename)
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]  # set_content adds it to every part; only the top needs it
    return message.as_string()


def _method(calendar: bytes, method: str | None) -> str:
    found = METHOD_LINE.search(calendar)
    in_calendar = found.group(1).decode("ascii").upper() if found else None
    if in_calendar is None:
        raise ValueError("the calendar has no METHOD: an invite needs METHOD:REQUEST or CANCEL")
    if method is not None and method.upper() != in_calendar:
        raise ValueError(f"method {method!r} contradicts the calendar's METHOD:{in_calendar}")
    return in_calendar


def headers(message: str) -> EmailMessage:
    """The headers of a stored message (Message-ID, To, Subject decoded), without its parts."""
    return HeaderParser(policy=policy.default).parsestr(message, headersonly=True)


def masked_address(address: str) -> str:
    """``intake@gemeente.nl`` -> ``i***@gemeente.nl``: enough for a log, not for a list."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


class MailSender(Protocol):
    name: str

    async def send(self, to: str, message: str, *, kind: str) -> str:
        """Hands the composed message over; returns an id (the Message-ID), or raises SendError."""
        ...

    async def close(self) -> None: ...


class EmbeddedMailer:
    """Marks e-mail as sent without sending; /dev/messages shows it (LOKET_DEV_PAGES=on)."""

    name = "embedded"

    async def send(self, to: str, message: str, *, kind: str) -> str:
        log.info("embedded e-mail (%s, %d chars) to %s", kind, len(message), masked_address(to))
        return f"embedded-{secrets.token_hex(8)}"

    async def close(self) -> None:
        return None


class SmtpSender:
    """One SMTP connection per message: invites are few, and nothing idles or goes stale."""

    name = "smtp"

    def __init__(self, settings: Settings, *, tls_context: ssl.SSLContext | None = None) -> None:
        """Reads SMTP_* and MAIL_FROM; ``tls_context`` trusts a private CA (tests), else the
        system's CAs are used."""
        self._sender = settings.mail_from_address
        self._options = {
            "hostname": settings.smtp_host,
            "port": settings.smtp_port,
            "username": settings.smtp_username or None,
            "password": settings.smtp_password if settings.smtp_username else None,
            "use_tls": settings.smtp_security == "tls",
            # False rather than None for "none": aiosmtplib upgrades opportunistically on None.
            "start_tls": settings.smtp_security == "starttls",
            "timeout": settings.smtp_timeout_seconds,
            "tls_context": tls_context,
        }

    async def send(self, to: str, message: str, *, kind: str) -> str:
        message_id = headers(message)["Message-ID"] or f"<{secrets.token_hex(16)}>"
        try:
            await aiosmtplib.send(message, sender=self._sender, recipients=[to], **self._options)
        except aiosmtplib.SMTPRecipientsRefused as error:
            [refused] = error.recipients
            raise _refused("recipient refused", refused) from None
        except aiosmtplib.SMTPDataError as error:
            raise _refused("message refused", error) from None
        except aiosmtplib.SMTPResponseException as error:
            # Sender refused, login failed, TLS required...: the set-up, not this message.
            raise SendError(f"smtp {error.code} {type(error).__name__}", permanent=False) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise SendError(f"smtp transport: {type(error).__name__}", permanent=False) from None
        except ValueError as error:
            # aiosmtplib refuses an address it cannot send safely (non-ASCII, line breaks).
            raise SendError(f"smtp unusable address: {error}", permanent=True) from None
        log.info(
            "e-mail (%s) to %s handed to %s", kind, masked_address(to), self._options["hostname"]
        )
        return str(message_id)[:PROVIDER_ID_LENGTH]

    async def close(self) -> None:
        return None


def _refused(what: str, error: aiosmtplib.SMTPResponseException) -> SendError:
    """5xx is final (no such mailbox, message rejected); 4xx asks to try again later."""
    status = error.message.split(maxsplit=1)[0] if error.message else ""
    enhanced = f" {status}" if re.fullmatch(r"[245]\.\d{1,3}\.\d{1,3}", status) else ""
    return SendError(f"smtp {error.code}{enhanced} {what}", permanent=500 <= error.code < 600)
