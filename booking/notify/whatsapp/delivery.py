"""WhatsApp's delivery statuses, and the one fallback to SMS when WhatsApp cannot reach
the person (not on WhatsApp, outside the window without a template, blocked by Meta)."""

from __future__ import annotations

from datetime import datetime

from booking.notify import outbox

#: Twilio's WhatsApp errors after which WhatsApp will not reach this person, but SMS may:
#: 63003 not a WhatsApp number, 63005 and 63021 content the channel refused, 63013 Meta's
#: policy, 63016 outside the 24-hour window, 63024 invalid recipient, 63030 unsupported
#: parameter, 63032 Meta keeps this person from business messages, 63049 Meta chose not to
#: deliver. Others (63018 rate limit, 63012 channel error) are recorded as they are.
FALL_BACK_CODES = frozenset({63003, 63005, 63013, 63016, 63021, 63024, 63030, 63032, 63049})


def falls_back(status: str, error_code: str | None) -> bool:
    return status in ("failed", "undelivered") and (error_code or "").strip() in {
        str(code) for code in FALL_BACK_CODES
    }


async def record(provider_id: str, status: str, error_code: str | None, now: datetime) -> bool:
    """Applies a WhatsApp status callback; a permanent failure queues the text as an SMS."""
    if falls_back(status, error_code) and await outbox.fall_back(
        provider_id, f"whatsapp code {error_code}: sent by SMS", now
    ):
        return True
    return await outbox.record_delivery(provider_id, status, error_code)
