"""iTIP answers (RFC 5546) out of e-mail: the REPLYs and COUNTERs that calendar clients
send to the ORGANIZER when an invitee presses Accept, Decline or Propose new time.

Pure: a raw message in, the answers it holds out. Clients differ in the wrapping, not in
the calendar: Outlook puts ``text/calendar; method=REPLY`` inside multipart/alternative,
Thunderbird sends it beside the text with an ``application/ics`` copy, Apple Mail attaches
an ``iCal-....ics`` file, Gmail an ``invite.ics``. Every calendar part is read; the same
answer found twice in one message counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

from icalendar import Calendar

REPLY, COUNTER = "REPLY", "COUNTER"
CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar")
#: A bound on what one message can make Loket record.
MAX_ANSWERS = 20


@dataclass(frozen=True, slots=True)
class Answer:
    """One attendee's answer to one event: PARTSTAT for a REPLY, a new time for a COUNTER."""

    method: str
    uid: str
    sequence: int
    attendee: str  # the address, lower case, without mailto:
    partstat: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    comment: str = ""


def _address(value: object) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip().lower()


def _calendar_parts(message: EmailMessage) -> list[bytes]:
    found = []
    for part in message.walk():
        name = (part.get_filename() or "").lower()
        if part.get_content_type() in CALENDAR_TYPES or name.endswith(".ics"):
            payload = part.get_payload(decode=True)
            if payload:
                found.append(payload)
    return found


def _aware(value: object) -> datetime | None:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return None


def answers_in(raw: bytes) -> list[Answer]:
    """The iTIP REPLY and COUNTER answers in a message; [] for anything else."""
    message = message_from_bytes(raw, policy=policy.default)
    found: list[Answer] = []
    for data in _calendar_parts(message):
        try:
            calendar = Calendar.from_ical(data)
        except ValueError:
            continue
        method = str(calendar.get("METHOD", "")).upper()
        if method not in (REPLY, COUNTER):
            continue
        for event in calendar.walk("VEVENT"):
            attendees = event.get("ATTENDEE", [])
            if not isinstance(attendees, list):
                attendees = [attendees]
            try:
                sequence = int(event.get("SEQUENCE", 0))
            except (TypeError, ValueError):
                continue
            for attendee in attendees:
                partstat = str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
                answer = Answer(
                    method=method,
                    uid=str(event.get("UID", "")),
                    sequence=sequence,
                    attendee=_address(attendee),
                    partstat=partstat,
                    starts_at=_aware(event.decoded("DTSTART", None)) if method == COUNTER else None,
                    ends_at=_aware(event.decoded("DTEND", None)) if method == COUNTER else None,
                    comment=str(event.get("COMMENT", ""))[:500] if method == COUNTER else "",
                )
                if answer.uid and answer.attendee and answer not in found:
                    found.append(answer)
    return found[:MAX_ANSWERS]
