"""Calendar files (iCalendar, RFC 5545): one event per appointment, with a stable UID.

The UID comes from the appointment id and the installation's host, so every later file for
the same appointment (a change, a cancellation) updates the same calendar entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from booking.domain.errors import N_
from booking.i18n import gettext, names_in
from booking.services.views import AppointmentView

PRODID = "-//Loket//Migrant information points//EN"
SUMMARY = N_("Appointment: %(topic)s")
BRING = N_(
    "Bring your ID card or passport and any papers about your question"
    " (contract, payslip, letters)."
)
CHANGE = N_("To cancel or change: %(url)s")


def uid(appointment_id: int, public_base_url: str) -> str:
    return f"appointment-{appointment_id}@{urlsplit(public_base_url).hostname or 'loket'}"


def migrant_calendar(
    view: AppointmentView,
    *,
    place: str,
    manage_url: str,
    public_base_url: str,
    language: str,
    now: datetime,
) -> bytes:
    """The "add to my calendar" file for the migrant, in their language and the point's zone."""
    tz = view.point.tz
    event = Event.new(
        uid=uid(view.id, public_base_url),
        summary=gettext(SUMMARY, language, topic=names_in(view.topic.name, language)),
        start=view.starts_at.astimezone(tz),
        end=view.ends_at.astimezone(tz),
        location=place,
        description="\n".join(
            (gettext(BRING, language), gettext(CHANGE, language, url=manage_url))
        ),
        url=manage_url,
        sequence=0,
        stamp=now,
    )
    calendar = Calendar.new(
        uid=f"calendar-{event.uid}",
        prodid=PRODID,
        method="PUBLISH",
        language=language,
        subcomponents=[event],
    )
    day = view.starts_at.date()
    calendar.add_missing_timezones(
        first_date=day - timedelta(days=1), last_date=day + timedelta(days=1)
    )
    return calendar.to_ical()
