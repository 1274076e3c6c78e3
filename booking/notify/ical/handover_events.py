"""Handover invites and feeds as iCalendar: REQUEST, CANCEL and the PUBLISH feed.

One UID per handover and the service's SEQUENCE make every REQUEST, update and CANCEL land
on the same calendar entry, in the invites and in the subscription feed alike, always with
the same ORGANIZER (``Organizer.of``): the point's name at Loket's mailbox, where the
attendees' iTIP REPLYs arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Conference, Event, vCalAddress, vDuration

from booking.i18n import gettext
from booking.notify.ical.calendars import calendar
from booking.notify.ical.handover_facts import (
    CUTYPES,
    VIDEO_CALL,
    Attendee,
    HandoverFacts,
    Organizer,
    description,
    handover_uid,
    location,
    plain_text,
    summary,
)
from booking.notify.ical.zones import wall_time

REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"
#: How often a subscribed client should fetch the feed again.
FEED_REFRESH = timedelta(hours=1)


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
    mailbox: str,
    public_base_url: str,
    now: datetime,
    language: str,
    *,
    confirmed: bool,
) -> Event:
    """The VEVENT, wall times in the point's zone; ``confirmed`` adds what a CANCEL leaves out."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    event = Event.new(
        uid=handover_uid(facts.appointment_id, public_base_url),
        sequence=facts.sequence,
        stamp=now.astimezone(UTC),
        start=wall_time(facts.starts_at, facts.timezone),
        end=wall_time(facts.ends_at, facts.timezone),
        summary=summary(facts, language),
        location=location(facts, language),
        organizer=_address(Organizer.of(facts, mailbox)),
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


def request(
    facts: HandoverFacts, *, mailbox: str, public_base_url: str, now: datetime, language: str = "nl"
) -> bytes:
    """METHOD:REQUEST for a new handover (SEQUENCE 0) or an update (same UID, higher SEQUENCE).

    ``mailbox`` is the organizer's address (MAIL_FROM), where replies are read.
    """
    event = _event(facts, mailbox, public_base_url, now, language, confirmed=True)
    event.attendees = [_address(a, answer=True) for a in facts.attendees]
    return calendar(REQUEST, [event]).to_ical()


def cancel(
    facts: HandoverFacts,
    *,
    mailbox: str,
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
    event = _event(facts, mailbox, public_base_url, now, language, confirmed=False)
    removed = facts.attendees if attendees is None else attendees
    event.attendees = [_address(a) for a in removed]
    if attendees is None:
        event.status = "CANCELLED"
    return calendar(CANCEL, [event]).to_ical()


def feed(
    name: str,
    events: Sequence[HandoverFacts],
    *,
    mailbox: str,
    public_base_url: str,
    now: datetime,
    zone: str,
    language: str = "nl",
) -> bytes:
    """A subscription calendar (METHOD:PUBLISH) of upcoming handovers, refreshed hourly.

    Same UIDs, SEQUENCEs and ORGANIZER as the invites: an entry and its invite are the same
    handover at the same revision. ORGANIZER stays (RFC 5546 PUBLISH needs it); no
    ATTENDEEs: a feed cannot be answered (clients would offer RSVP buttons that go nowhere),
    and it would hand every subscriber the other parties' e-mail addresses; DESCRIPTION
    already names the interpreter and the consultant. Without handovers it still holds the
    VTIMEZONE of ``zone``, so it stays a valid VCALENDAR.
    """
    vevents = [
        _event(facts, mailbox, public_base_url, now, language, confirmed=True) for facts in events
    ]
    today: date = now.astimezone(ZoneInfo(zone)).date()
    made = calendar(PUBLISH, vevents, name=plain_text(name).replace("\n", " "), empty=(zone, today))
    made.refresh_interval = FEED_REFRESH
    # RFC 7986 requires VALUE=DURATION, which icalendar leaves out; a bare timedelta in an
    # X- property would be written as "1:00:00", so the TTL is a vDuration.
    made["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    made.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))
    return made.to_ical()
