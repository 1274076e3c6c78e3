"""A WhatsApp message from a person opens the 24-hour window for free-form answers."""

from __future__ import annotations

from datetime import datetime

from booking.db.tables import MigrantContact


async def seen(phone: str, now: datetime) -> None:
    """Remembers that ``phone`` wrote to us on WhatsApp at ``now`` (every contact of it)."""
    await MigrantContact.update({MigrantContact.whatsapp_seen_at: now}).where(
        MigrantContact.phone == phone
    )
