"""Calendar invites for warm handovers (iCalendar RFC 5545, iTIP RFC 5546) and their e-mail text.

Pure: the booking service fills ``HandoverFacts`` from the database, this module turns them
into bytes and words, and the e-mail channel wraps them in MIME. One UID per handover and the
service's SEQUENCE make every REQUEST, update and CANCEL land on the same calendar entry, in
the invites and in the subscription feed alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from icalendar import Calendar, Conference, Event, vCalAddress, vDuration

from booking.db.tables import Handover, InviteAttendee, StaffMember
from booking.domain.errors import N_
from booking.i18n import format_instant, gettext

PRODID = "-//Loket//Migrant information points//EN"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"
#: How often a subscribed client should fetch the feed again.
FEED_REFRESH = timedelta(hours=1)
#: Years of time-zone rules after the last event in every file (about 750 bytes for ten).
ZONE_YEARS = 10
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

SUBJECT_NEW = N_("Invitation: %(summary)s, %(when)s")
SUBJECT_CHANGED = N_("Changed: %(summary)s, %(when)s")
SUBJECT_CANCELLED = N_("Cancelled: %(summary)s, %(when)s")
SUBJECT_WITHDRAWN = N_("Invitation withdrawn: %(summary)s, %(when)s")
INTRO_NEW = N_("%(point)s invites you to this warm handover.")
INTRO_CHANGED = N_("This warm handover has changed. These details replace the earlier ones.")
INTRO_CANCELLED = N_("This warm handover is cancelled.")
INTRO_WITHDRAWN = N_("You are no longer needed at this warm handover. It goes ahead without you.")
WHEN = N_("When: %(when)s")
WHERE = N_("Where: %(place)s")
ACCEPT = N_("Accept: %(url)s")
DECLINE = N_("Decline: %(url)s")
ATTACHED_INVITE = N_("The calendar invitation is attached.")
ATTACHED_CANCEL = N_("The attached calendar file removes it from your calendar.")
#: (method, changed for a REQUEST / everyone for a CANCEL) -> (subject, opening line)
EMAILS = {
    (REQUEST, False): (SUBJECT_NEW, INTRO_NEW),
    (REQUEST, True): (SUBJECT_CHANGED, INTRO_CHANGED),
    (CANCEL, True): (SUBJECT_CANCELLED, INTRO_CANCELLED),
    (CANCEL, False): (SUBJECT_WITHDRAWN, INTRO_WITHDRAWN),
}


@dataclass(frozen=True, slots=True)
class Organizer:
    email: str  # e.g. "loket@bmip.example"
    name: str  # the information point's name, e.g. "Informatiepunt Veghel"


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


def email_text(
    facts: HandoverFacts,
    *,
    method: str,
    language: str = "nl",
    accept_url: str | None = None,
    decline_url: str | None = None,
    everyone: bool = True,
) -> tuple[str, str]:
    """(subject, plain-text body) of the e-mail that carries a REQUEST or a CANCEL.

    The body stands on its own for a reader without a calendar. ``everyone=False`` words a
    CANCEL for someone swapped out (the handover itself goes ahead, RFC 5546 3.2.5).
    """
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"no e-mail for METHOD {method!r}")
    tz = ZoneInfo(facts.timezone)
    short_when = format_instant(facts.starts_at, tz, language, "EEEE d MMMM, HH:mm")
    kind = (method, facts.sequence > 0 if method == REQUEST else everyone)
    subject, intro = EMAILS[kind]
    head = [
        gettext(intro, language, point=facts.point_name),
        "",
        gettext(WHEN, language, when=when(facts, language)),
        gettext(WHERE, language, place=location(facts, language)),
        "",
    ]
    if method == CANCEL:
        body = [*head, summary(facts, language), "", gettext(ATTACHED_CANCEL, language)]
    else:
        links = [
            gettext(template, language, url=url)
            for template, url in ((ACCEPT, accept_url), (DECLINE, decline_url))
            if url
        ]
        body = [*head, description(facts, language), ""]
        body += [*links, ""] if links else []
        body.append(gettext(ATTACHED_INVITE, language))
    title = gettext(subject, language, summary=summary(facts, language), when=short_when)
    return title, "\n".join(body) + "\n"


def _address(who: Organizer | Attendee, *, answer: bool = False) -> vCalAddress:
    """ORGANIZER or ATTENDEE; ``answer=False`` (in a CANCEL) leaves out PARTSTAT and RSVP.

    CN is one line without ``"``, ``^`` or ``\\``: icalendar writes quotes and newlines with
    RFC 6868 carets, which vobject (and many clients) show literally, and reads a backslash
    in a parameter as an escape, so ``CN=a\\`` would swallow the next parameter.
    """
    cn = plain_text(who.name).replace('"', "'").replace("^", "").replace("\\", "/")
    cn = " ".join(cn.split()) or None
    if isinstance(who, Organizer):
        return vCalAddress.new(who.email, cn=cn)
    return vCalAddress.new(
        who.email,
        cn=cn,
        cutype=CUTYPES[who.role],
        role="REQ-PARTICIPANT" if who.joins else "NON-PARTICIPANT",
        partstat=who.partstat if answer else None,
        rsvp=who.joins if answer else None,
    )


def _event(
    facts: HandoverFacts,
    organizer: Organizer,
    public_base_url: str,
    now: datetime,
    language: str,
    *,
    confirmed: bool,
) -> Event:
    """The VEVENT, wall times in the point's zone; ``confirmed`` adds what a CANCEL leaves out."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    tz = ZoneInfo(facts.timezone)
    event = Event.new(
        uid=handover_uid(facts.appointment_id, public_base_url),
        sequence=facts.sequence,
        stamp=now.astimezone(UTC),
        start=facts.starts_at.astimezone(tz),
        end=facts.ends_at.astimezone(tz),
        summary=summary(facts, language),
        location=location(facts, language),
        organizer=_address(organizer),
    )
    if confirmed:
        event.description = description(facts, language)
        event.status = "CONFIRMED"
        event.transparency = "OPAQUE"
    if confirmed and facts.video_url:
        event.url = facts.video_url
        label = gettext(VIDEO_CALL, language)
        event.conferences = [Conference(facts.video_url, feature="VIDEO", label=label)]
    return event


def _calendar(method: str, events: Sequence[Event], name: str | None = None) -> Calendar:
    """A VCALENDAR with a VTIMEZONE for every zone used, from the first event on.

    The VTIMEZONE runs ``ZONE_YEARS`` past the last event, not just over its days: some
    readers (vobject, so vobject-based servers) keep the first VTIMEZONE they see for a
    TZID and read every later file with it. No calendar-level UID (RFC 7986, optional):
    ``Calendar.new`` would invent a random one per message or feed fetch.
    """
    calendar = Calendar.new(
        prodid=PRODID, method=method, calscale="GREGORIAN", name=name, subcomponents=events
    )
    del calendar["UID"]
    if events:
        days = [e.start.date() for e in events] + [e.end.date() for e in events]
        calendar.add_missing_timezones(
            first_date=min(days) - timedelta(days=1),
            last_date=date(max(days).year + ZONE_YEARS, 12, 31),
        )
    return calendar


def request(
    facts: HandoverFacts,
    *,
    organizer: Organizer,
    public_base_url: str,
    now: datetime,
    language: str = "nl",
) -> bytes:
    """METHOD:REQUEST for a new handover (SEQUENCE 0) or an update (same UID, higher SEQUENCE)."""
    event = _event(facts, organizer, public_base_url, now, language, confirmed=True)
    event.attendees = [_address(a, answer=True) for a in facts.attendees]
    return _calendar(REQUEST, [event]).to_ical()


def cancel(
    facts: HandoverFacts,
    *,
    organizer: Organizer,
    public_base_url: str,
    now: datetime,
    language: str = "nl",
    attendees: Sequence[Attendee] | None = None,
) -> bytes:
    """METHOD:CANCEL, the whole handover (``attendees=None``) or only for those removed.

    RFC 5546 3.2.5: STATUS:CANCELLED only when the whole event is off; a CANCEL to someone
    swapped out lists just them and has no STATUS, while the others get a REQUEST with the
    same SEQUENCE. No DESCRIPTION: the removed need not learn who replaces them.
    """
    if attendees is not None and not attendees:
        raise ValueError("a CANCEL must name whom it removes")
    event = _event(facts, organizer, public_base_url, now, language, confirmed=False)
    removed = facts.attendees if attendees is None else attendees
    event.attendees = [_address(a) for a in removed]
    if attendees is None:
        event.status = "CANCELLED"
    return _calendar(CANCEL, [event]).to_ical()


def feed(
    name: str,
    events: Sequence[HandoverFacts],
    *,
    organizer: Organizer,
    public_base_url: str,
    now: datetime,
    language: str = "nl",
) -> bytes:
    """A subscription calendar (METHOD:PUBLISH) of upcoming handovers, refreshed hourly.

    Same UIDs and SEQUENCEs as the invites: an entry and its invite are the same handover
    at the same revision. ORGANIZER stays (RFC 5546 PUBLISH needs it); no ATTENDEEs: a feed cannot be answered (clients would offer RSVP buttons that go nowhere),
    and it would hand every subscriber the other parties' e-mail addresses; DESCRIPTION
    already names the interpreter and the consultant.
    """
    vevents = [
        _event(facts, organizer, public_base_url, now, language, confirmed=True) for facts in events
    ]
    calendar = _calendar(PUBLISH, vevents, name=plain_text(name).replace("\n", " "))
    calendar.refresh_interval = FEED_REFRESH
    # RFC 7986 requires VALUE=DURATION, which icalendar leaves out; a bare timedelta in an
    # X- property would be written as "1:00:00", so the TTL is a vDuration.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))
    return calendar.to_ical()
