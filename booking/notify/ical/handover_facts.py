"""What a handover invite may say (``HandoverFacts``) and the words built from it.

Pure: the booking service fills ``HandoverFacts`` from the database; handover_events.py
turns them into iCalendar (RFC 5545, iTIP RFC 5546) and handover_email.py into the e-mail
around it. By construction nothing here holds the migrant's phone number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError

from booking.db.tables import Handover, InviteAttendee, StaffMember
from booking.domain.errors import N_
from booking.i18n import format_instant, gettext

#: An agency's address is a desk (a team mailbox); interpreters and consultants are people.
CUTYPES = {
    InviteAttendee.AGENCY: "GROUP",
    InviteAttendee.INTERPRETER: "INDIVIDUAL",
    InviteAttendee.CONSULTANT: "INDIVIDUAL",
}
PARTSTATS = (InviteAttendee.NEEDS_ACTION, InviteAttendee.ACCEPTED, InviteAttendee.DECLINED)
#: Eight or more digits, maybe with a leading + and spaces, dashes, dots or brackets between:
#: how a phone number looks when someone types one into a note.
PHONE_LIKE = re.compile(r"\+?\d(?:[ \-./()]{0,3}\d){7,}")

SUMMARY = N_("Warm handover with %(agency)s: %(topic)s (%(language)s)")
ARRANGED_BY = N_("Arranged by %(point)s.")
TOPIC = N_("Topic: %(topic)s")
LANGUAGE = N_("Language of the client: %(language)s")
INTERPRETER = N_("Interpreter (%(mode)s): %(name)s")
INTERPRETER_UNNAMED = N_("Interpreter: %(mode)s")
MODES = {
    StaffMember.ON_SITE: N_("on site"),
    StaffMember.BY_PHONE: N_("by phone"),
    StaffMember.BY_VIDEO: N_("by video"),
}
NO_INTERPRETER = N_("No interpreter.")
CONSULTANT_JOINS = N_("Consultant %(name)s of %(point)s joins.")
CONSULTANT_AWAY = N_("Consultant %(name)s of %(point)s arranged this and does not join.")
VIDEO_LINK = N_("Video link: %(url)s")
VIDEO_CALL = N_("Video call")
NOTE = N_("Handover note, shared with the client's consent:")
REMOVED = N_("[number removed]")


@dataclass(frozen=True, slots=True)
class Organizer:
    """Who organises: the information point, reached at Loket's mailbox (MAIL_FROM), where
    the attendees' iTIP replies arrive."""

    email: str  # e.g. "loket@bmip.example"
    name: str  # the information point's name, e.g. "Informatiepunt Veghel"

    @classmethod
    def of(cls, facts: HandoverFacts, mailbox: str) -> Organizer:
        """The one ORGANIZER of a handover's UID, in every invite, cancel and feed alike."""
        return cls(mailbox, facts.point_name)


@dataclass(frozen=True, slots=True)
class Attendee:
    email: str
    name: str
    role: str  # InviteAttendee.AGENCY / INTERPRETER / CONSULTANT
    partstat: str = InviteAttendee.NEEDS_ACTION
    #: False: the consultant who set it up but does not attend (NON-PARTICIPANT, no RSVP).
    joins: bool = True

    def __post_init__(self) -> None:
        if self.role not in CUTYPES or self.partstat not in PARTSTATS or not self.email:
            raise ValueError(f"attendee {self.email!r}: role {self.role!r}, {self.partstat!r}")


@dataclass(frozen=True, slots=True)
class HandoverFacts:
    """Everything an invite may say. By construction it holds no phone number and nothing
    the migrant did not agree to share; ``note`` is still scrubbed of phone-like numbers."""

    appointment_id: int
    sequence: int  # iTIP SEQUENCE; the service bumps it on every change
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    timezone: str  # the information point's IANA zone, "Europe/Amsterdam"
    topic: str  # already in the invite's language
    agency_name: str
    agency_address: str
    point_name: str
    point_address: str
    place: str  # Handover.AT_AGENCY / AT_POINT / BY_VIDEO
    video_url: str  # "" unless someone joins by video
    language: str  # the migrant's language, BCP 47 ("pl")
    interpreter_mode: str | None  # StaffMember.ON_SITE / BY_PHONE / BY_VIDEO; None: none
    interpreter_name: str
    consultant_name: str
    consultant_joins: bool
    note: str  # the handover note the migrant agreed to share ("" if none)
    attendees: tuple[Attendee, ...]

    def __post_init__(self) -> None:
        """Refuses what would make a wrong invite rather than a visible error later."""
        for instant in (self.starts_at, self.ends_at):
            if instant.tzinfo is None or instant.utcoffset() is None:
                raise ValueError("handover times must be aware datetimes")
        if self.ends_at <= self.starts_at:
            raise ValueError("a handover must end after it starts")
        if self.place not in Handover.PLACES:
            raise ValueError(f"unknown place {self.place!r}")
        if self.interpreter_mode is not None and self.interpreter_mode not in MODES:
            raise ValueError(f"unknown interpreter mode {self.interpreter_mode!r}")
        if self.place == Handover.BY_VIDEO and not self.video_url:
            raise ValueError("a handover by video needs its video link")
        ZoneInfo(self.timezone)  # ZoneInfoNotFoundError for a zone the calendars cannot know


def handover_uid(appointment_id: int, public_base_url: str) -> str:
    """The UID of every invite and feed entry of one handover; not the migrant's own UID."""
    return f"handover-{appointment_id}@{urlsplit(public_base_url).hostname or 'loket'}"


def language_name(code: str, language: str) -> str:
    """The migrant's language as the invite's reader calls it: ``pl`` in Dutch is "Pools"."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(language) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def plain_text(text: str) -> str:
    """``text`` with one kind of line break and no control characters.

    RFC 5545 TEXT may not hold controls; a stray CR or U+2028 also splits lines differently
    in different parsers, so such characters become newlines or go.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u0085\u2028\u2029]", "\n", text)
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def shareable_note(note: str, language: str = "nl") -> str:
    """The note as it goes out: plain text, phone-like numbers replaced (DOMAIN rule 6).

    The migrant consented to the note, not to their number; a consultant may still type one.
    """
    return PHONE_LIKE.sub(gettext(REMOVED, language), plain_text(note))


def summary(facts: HandoverFacts, language: str = "nl") -> str:
    """One line: calendars show the start of it, e-mail subjects carry it."""
    name = language_name(facts.language, language)
    text = gettext(SUMMARY, language, agency=facts.agency_name, topic=facts.topic, language=name)
    return " ".join(plain_text(text).split())


def location(facts: HandoverFacts, language: str = "nl") -> str:
    """Where everyone goes: the agency, the information point, or the video link."""
    if facts.place == Handover.BY_VIDEO:
        return f"{gettext(VIDEO_CALL, language)}: {facts.video_url}"
    name, address = (
        (facts.agency_name, facts.agency_address)
        if facts.place == Handover.AT_AGENCY
        else (facts.point_name, facts.point_address)
    )
    return plain_text(", ".join(part for part in (name, address) if part))


def description(facts: HandoverFacts, language: str = "nl") -> str:
    """What the agency and the interpreter need to know; the consented note comes last."""
    lines = [
        gettext(ARRANGED_BY, language, point=facts.point_name),
        gettext(TOPIC, language, topic=facts.topic),
        gettext(LANGUAGE, language, language=language_name(facts.language, language)),
    ]
    if facts.interpreter_mode is None:
        lines.append(gettext(NO_INTERPRETER, language))
    else:
        mode = gettext(MODES[facts.interpreter_mode], language)
        name = facts.interpreter_name
        template = INTERPRETER if name else INTERPRETER_UNNAMED
        lines.append(gettext(template, language, mode=mode, name=name))
    joins = CONSULTANT_JOINS if facts.consultant_joins else CONSULTANT_AWAY
    lines.append(gettext(joins, language, name=facts.consultant_name, point=facts.point_name))
    if facts.video_url:
        lines.append(gettext(VIDEO_LINK, language, url=facts.video_url))
    text = plain_text("\n".join(lines))
    note = shareable_note(facts.note, language)
    if note.strip():
        text += f"\n\n{gettext(NOTE, language)}\n{note}"
    return text


def when(facts: HandoverFacts, language: str = "nl") -> str:
    """Local date and time range in the point's zone: "maandag 26 oktober 2026, 18:00-19:00"."""
    tz = ZoneInfo(facts.timezone)
    same_day = facts.starts_at.astimezone(tz).date() == facts.ends_at.astimezone(tz).date()
    end = format_instant(facts.ends_at, tz, language, "time" if same_day else "full_short")
    return f"{format_instant(facts.starts_at, tz, language)}-{end}"
