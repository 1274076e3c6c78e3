"""How one WhatsApp text goes out: free-form, as a template, or by SMS. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

#: WhatsApp's customer service window: free-form messages this long after the person wrote.
WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Route:
    #: No template fits outside the window: the text goes by SMS instead.
    by_sms: bool
    #: The approved template to send; None for a free-form message.
    content_sid: str | None = None


def in_window(seen_at: datetime | None, now: datetime) -> bool:
    """Whether the person wrote to us on WhatsApp within the last 24 hours."""
    return seen_at is not None and seen_at <= now < seen_at + WINDOW


def route(
    name: str | None,
    language: str,
    seen_at: datetime | None,
    now: datetime,
    templates: Mapping[str, Mapping[str, str]],
) -> Route:
    """Free-form in the window; outside it the template for ``name`` in ``language``."""
    if in_window(seen_at, now):
        return Route(by_sms=False)
    sid = templates.get(name or "", {}).get(language)
    return Route(by_sms=False, content_sid=sid) if sid else Route(by_sms=True)
