"""Twilio's WhatsApp sender, with the official SDK and the SMS sender's error handling.

Twilio takes WhatsApp on the Messages API with ``whatsapp:`` addresses: a free-form
``Body`` within the 24-hour window, else an approved template's ``ContentSid`` with its
``ContentVariables`` (JSON) and no body. Status callbacks come to their own webhook, where
a permanent failure turns the message into an SMS (booking/notify/whatsapp/delivery.py).
"""

from __future__ import annotations

from booking.notify.twilio_sms import TwilioSender
from booking.notify.whatsapp.sender import Content
from booking.settings import Settings

PREFIX = "whatsapp:"


class TwilioWhatsapp(TwilioSender):
    """Twilio's WhatsApp sender (TWILIO_WHATSAPP_FROM), with the official SDK."""

    name = "twilio-whatsapp"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._sender = {"from_": settings.twilio_whatsapp_from}
        self._callback = f"{settings.public_base_url}/webhooks/twilio/whatsapp/status"
        self.templates = settings.twilio_whatsapp_templates

    async def send(  # type: ignore[override]
        self, to: str, body: str, *, kind: str, content: Content | None = None
    ) -> str:
        if content is None:
            return await self.create(to=PREFIX + to, body=body)
        return await self.create(
            to=PREFIX + to, content_sid=content.sid, content_variables=content.variables
        )
