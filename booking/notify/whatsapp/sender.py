"""Sending one WhatsApp message: the interface and the embedded backend (Twilio's sender
is booking/notify/whatsapp/twilio.py)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from booking.domain.phone import masked
from booking.notify.sms import EmbeddedSender

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Content:
    """An approved template and its variables as JSON: {"1": "...", "2": "..."}."""

    sid: str
    variables: str


class WhatsappSender(Protocol):
    name: str
    #: Text name -> language -> Content SID (TWILIO_WHATSAPP_TEMPLATES).
    templates: Mapping[str, Mapping[str, str]]

    async def send(self, to: str, body: str, *, kind: str, content: Content | None) -> str:
        """Hands the message to the provider; returns its id, or raises SendError."""
        ...

    async def close(self) -> None: ...


class EmbeddedWhatsapp(EmbeddedSender):
    """Marks WhatsApp messages as sent without sending, like the embedded SMS backend."""

    name = "embedded-whatsapp"

    def __init__(
        self, templates: Mapping[str, Mapping[str, str]] | None = None, *, keep: bool = False
    ) -> None:
        super().__init__(keep=keep)
        self.templates = templates or {}

    async def send(  # type: ignore[override]
        self, to: str, body: str, *, kind: str, content: Content | None = None
    ) -> str:
        how = "template" if content else "free-form"
        log.info("embedded WhatsApp (%s, %s) to %s", kind, how, masked(to))
        return self.kept(body)
