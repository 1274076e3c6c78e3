"""The migrant's "add to my calendar" file (RFC 5545): one event with a stable UID.

The UID comes from the appointment id and the installation's host, so every later file for
the same appointment (a change, a cancellation) updates the same calendar entry. It takes
plain values, so the notify layer needs nothing from the services above it.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from icalendar import Event

from booking.domain.errors import N_
from booking.i18n import gettext
from booking.notify.ical.calendars import calendar
from booking.notify.ical.zones import wall_time

SUMMARY = N_("Appointment: %(topic)s")
BRING = N_(
    "Bring your ID card or passport and any papers about your question"
    " (contract, payslip, letters)."
)
CHANGE = N_("To cancel or change: %(url)s")


def uid(appointment_id: int, public_base_url: str) -> str:
    return f"appointment-{appointment_id}@{urlsplit(public_base_url).hostname or 'loket'}"


def migrant_calendar(
    *,
    appointment_id: int,
    starts_at: datetime,
    ends_at: datetime,
    timezone: str,
    topic: str,
    place: str,
    manage_url: str,
    public_base_url: str,
    language: str,
    now: datetime,
) -> bytes:
    """The file in the migrant's language (``topic`` already in it) and the point's zone."""
    event = Event.new(
        uid=uid(appointment_id, public_base_url),
        summary=gettext(SUMMARY, language, topic=topic),
        start=wall_time(starts_at, timezone),
        end=wall_time(ends_at, timezone),
        location=place,
        description="\n".join(
            (gettext(BRING, language), gettext(CHANGE, language, url=manage_url))
        ),
        url=manage_url,
        sequence=0,
        stamp=now,
    )
    return calendar("PUBLISH", [event], language=language).to_ical()
