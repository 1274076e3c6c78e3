"""Sending one SMS: the sender interface and the embedded backend used without a provider.

The embedded backend sends nothing: it logs the masked number and the kind, and the text
stays readable on the development page (/dev/messages) when LOKET_DEV_PAGES is on.
"""

from __future__ import annotations

import logging
import secrets
from typing import Protocol

from booking.domain.phone import masked

log = logging.getLogger(__name__)


class SendError(Exception):
    """The provider (SMS, or e-mail: booking/notify/mail.py) did not take the message.

    Attributes:
        permanent: retrying cannot help (an invalid number, say).
        opted_out: the provider says the person unsubscribed; stored as a STOP.
    """

    def __init__(self, reason: str, *, permanent: bool, opted_out: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.opted_out = opted_out


class SmsSender(Protocol):
    name: str

    async def send(self, to: str, body: str, *, kind: str) -> str:
        """Hands the message to the provider; returns its id, or raises SendError."""
        ...

    async def close(self) -> None: ...


class EmbeddedSender:
    """Marks messages as sent without sending; for development, tests and demos."""

    name = "embedded"

    async def send(self, to: str, body: str, *, kind: str) -> str:
        log.info("embedded SMS (%s, %d chars) to %s", kind, len(body), masked(to))
        return f"embedded-{secrets.token_hex(8)}"

    async def close(self) -> None:
        return None
