"""Sending one SMS: the sender interface and the embedded backend used without a provider.

The embedded backend sends nothing: it logs the masked number and the kind. In development
with LOKET_DEV_PAGES on it keeps the last texts it "sent" in this process's memory, never in
the database (whose copy must hold no working link or code), for /dev/messages to show.
"""

from __future__ import annotations

import logging
import secrets
from collections import OrderedDict
from typing import Protocol

from booking.domain.phone import masked

log = logging.getLogger(__name__)

#: How many "sent" texts the embedded backend keeps for the development page.
KEPT = 200
_kept: OrderedDict[str, str] = OrderedDict()


def kept_text(provider_id: str | None) -> str | None:
    """The text the embedded backend "sent" under ``provider_id``, if this process kept it."""
    return _kept.get(provider_id or "")


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
    """Marks messages as sent without sending; for development, tests and demos.

    Args:
        keep: keep the texts in memory for /dev/messages (development only).
    """

    name = "embedded"

    def __init__(self, *, keep: bool = False) -> None:
        self.keep = keep

    async def send(self, to: str, body: str, *, kind: str) -> str:
        log.info("embedded SMS (%s, %d chars) to %s", kind, len(body), masked(to))
        return self.kept(body)

    def kept(self, body: str) -> str:
        """A new provider id, under which ``body`` is kept when keeping is on."""
        provider_id = f"embedded-{secrets.token_hex(8)}"
        if self.keep:
            _kept[provider_id] = body
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
        return provider_id

    async def close(self) -> None:
        return None
