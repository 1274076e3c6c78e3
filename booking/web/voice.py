"""The voice line: Twilio Voice calls, answered with TwiML in the caller's language."""

from __future__ import annotations

from litestar import Controller


class VoiceLine(Controller):
    path = "/webhooks/twilio/voice"
    include_in_schema = False
