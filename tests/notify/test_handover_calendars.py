"""Handover invites read back by two parsers: icalendar, and vobject as the independent one.

vobject resolves a TZID through a VTIMEZONE, so its aware datetimes check the VTIMEZONE's
rules against the UTC instants, not only our wall-clock strings. It keeps the first one it
sees per TZID for the whole process, so ``parse`` makes it forget before reading a file.
"""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from booking.db.tables import Handover, InviteAttendee, StaffMember
from booking.notify.ical import calendars
from booking.notify.ical import handover_email as em
from booking.notify.ical import handover_events as ev
from booking.notify.ical import handover_facts as fa
from booking.notify.ical.handover_facts import Attendee, HandoverFacts, Organizer

BASE_URL = "https://loket.example.nl/"
ZONE = "Europe/Amsterdam"
UID = "handover-12@loket.example.nl"
NOW = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
ORGANIZER = Organizer(email="loket@bmip.example", name="Informatiepunt Veghel")
AGENCY = Attendee("burgerzaken@meierijstad.example", "Gemeente Meierijstad", InviteAttendee.AGENCY)
INTERPRETER = Attendee(
    "anna@tolk.example", "Anna Nowak", InviteAttendee.INTERPRETER, InviteAttendee.ACCEPTED
)
NEW_INTERPRETER = Attendee("marta@tolk.example", "Marta Wiśniewska", InviteAttendee.INTERPRETER)
CONSULTANT = Attendee("piotr@bmip.example", "Piotr Kowal", InviteAttendee.CONSULTANT, joins=False)
NOTE = "Heeft een huurcontract; vraagt naar servicekosten, borg.\nSpreekt wat Engels: ł ș ї"
#: Eight digits or more, as a typed phone number has them; dates, times, house numbers and
#: postcodes have fewer. Separators as in ``PHONE_LIKE``: up to three between two digits.
PHONE = re.compile(r"\+?\d(?:[-/(). ]{0,3}\d){7,}")


def facts(**changes) -> HandoverFacts:
    base = HandoverFacts(
        appointment_id=12,
        sequence=0,
        starts_at=datetime(2026, 10, 26, 17, 0, tzinfo=UTC),
        ends_at=datetime(2026, 10, 26, 17, 45, tzinfo=UTC),
        timezone="Europe/Amsterdam",
        topic="Inschrijving BRP",
        agency_name="Gemeente Meierijstad",
        agency_address="Markt 1, 5461 KH Veghel",
        point_name="Informatiepunt Veghel",
        point_address="Kennedylaan 21, 5462 GA Veghel",
        place=Handover.AT_AGENCY,
        video_url="",
        language="pl",
        interpreter_mode=StaffMember.ON_SITE,
        interpreter_name="Anna Nowak",
        consultant_name="Piotr Kowal",
        consultant_joins=False,
        note=NOTE,
        attendees=(AGENCY, INTERPRETER, CONSULTANT),
    )
    return replace(base, **changes)


def build(kind: str, handover: HandoverFacts, **kwargs) -> bytes:
    make = {"request": ev.request, "cancel": ev.cancel}[kind]
    return make(handover, mailbox=ORGANIZER.email, public_base_url=BASE_URL, now=NOW, **kwargs)


def forget_vobject_zone() -> None:
    """vobject keeps the first VTIMEZONE it reads per TZID for the whole process."""
    getattr(vobject.icalendar, "__tzidMap").pop(ZONE, None)


def parse(data: bytes, *, fresh_zone: bool = True):
    """(icalendar VEVENTs, vobject calendar, icalendar calendar), parsed independently.

    ``fresh_zone``: vobject reads this file's own VTIMEZONE, not one cached from another.
    """
    if fresh_zone:
        forget_vobject_zone()
    calendar = Calendar.from_ical(data)
    return calendar.events, vobject.readOne(data.decode()), calendar


def vparams(vcal, prop: str) -> list[dict[str, str]]:
    return [
        {k: v[0] for k, v in line.params.items()} | {"value": line.value}
        for line in vcal.vevent.contents.get(prop, [])
    ]


def test_uid_is_the_host_of_the_public_url_and_not_the_migrants():
    assert fa.handover_uid(12, BASE_URL) == UID
    assert fa.handover_uid(12, "http://localhost:8000") == "handover-12@localhost"


def test_request_update_and_cancel_are_one_calendar_entry():
    first = build("request", facts())
    moved = facts(
        sequence=1,
        starts_at=datetime(2026, 10, 27, 18, 0, tzinfo=UTC),
        ends_at=datetime(2026, 10, 27, 19, 0, tzinfo=UTC),
    )
    update = build("request", moved)
    gone = build("cancel", replace(moved, sequence=2))
    expected = [
        ("REQUEST", 0, "CONFIRMED"),
        ("REQUEST", 1, "CONFIRMED"),
        ("CANCEL", 2, "CANCELLED"),
    ]
    for data, (method, sequence, status) in zip((first, update, gone), expected, strict=True):
        events, vcal, calendar = parse(data)
        assert calendar["METHOD"] == vcal.method.value == method
        assert [e.uid for e in events] == [vcal.vevent.uid.value] == [UID]
        assert events[0].sequence == int(vcal.vevent.sequence.value) == sequence
        assert events[0]["STATUS"] == vcal.vevent.status.value == status
        assert events[0].DTSTAMP == vcal.vevent.dtstamp.value == NOW
        assert calendar["VERSION"] == "2.0" and calendar["CALSCALE"] == "GREGORIAN"
        assert calendar["PRODID"] == calendars.PRODID
        assert "UID" not in calendar  # no random calendar-level UID
    _, vcal, _ = parse(update)
    assert vcal.vevent.dtstart.value.astimezone(UTC) == moved.starts_at
    assert vcal.vevent.dtstart.value.hour == 19  # CET wall time


def test_organizer_and_attendees_carry_role_partstat_rsvp_and_name():
    events, vcal, _ = parse(build("request", facts()))
    organizer = events[0]["ORGANIZER"]
    assert organizer == "mailto:loket@bmip.example"
    assert organizer.params["CN"] == vcal.vevent.organizer.params["CN"][0] == ORGANIZER.name
    expected = [
        ("mailto:burgerzaken@meierijstad.example", "Gemeente Meierijstad", "GROUP",
         "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
        ("mailto:anna@tolk.example", "Anna Nowak", "INDIVIDUAL",
         "REQ-PARTICIPANT", "ACCEPTED", "TRUE"),
        ("mailto:piotr@bmip.example", "Piotr Kowal", "INDIVIDUAL",
         "NON-PARTICIPANT", "NEEDS-ACTION", "FALSE"),
    ]  # fmt: skip
    from_icalendar = [
        (str(a), a.params["CN"], a.params["CUTYPE"], a.params["ROLE"], a.params["PARTSTAT"],
         a.params["RSVP"])
        for a in events[0].attendees
    ]  # fmt: skip
    from_vobject = [
        (p["value"], p["CN"], p["CUTYPE"], p["ROLE"], p["PARTSTAT"], p["RSVP"])
        for p in vparams(vcal, "attendee")
    ]
    assert from_icalendar == from_vobject == expected
    assert events[0]["TRANSP"] == "OPAQUE"


# The last Sundays of October 2026 and March 2027, and the Mondays after them, at 18:00 local.
DST_CASES = [
    (datetime(2026, 10, 25, 17, 0, tzinfo=UTC), "20261025T180000", timedelta(hours=1)),
    (datetime(2026, 10, 26, 17, 0, tzinfo=UTC), "20261026T180000", timedelta(hours=1)),
    (datetime(2027, 3, 28, 16, 0, tzinfo=UTC), "20270328T180000", timedelta(hours=2)),
    (datetime(2027, 3, 29, 16, 0, tzinfo=UTC), "20270329T180000", timedelta(hours=2)),
]


@pytest.mark.parametrize(("start", "wall", "offset"), DST_CASES)
def test_dst_week_handovers_keep_their_local_time(start, wall, offset):
    handover = facts(starts_at=start, ends_at=start + timedelta(hours=1))
    data = build("request", handover)
    assert f"DTSTART;TZID=Europe/Amsterdam:{wall}".encode() in data
    events, vcal, calendar = parse(data)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]
    assert events[0].start.astimezone(UTC) == start
    assert events[0].end.astimezone(UTC) == start + timedelta(hours=1)
    # vobject knows the zone only from the VTIMEZONE in the file.
    vstart, vend = vcal.vevent.dtstart.value, vcal.vevent.dtend.value
    assert "tzicalvtz" in repr(vstart.tzinfo)
    assert (vstart.hour, vstart.minute, vstart.utcoffset()) == (18, 0, offset)
    assert vstart.astimezone(UTC) == start
    assert vend.astimezone(UTC) == start + timedelta(hours=1)
    # icalendar's reading of the same VTIMEZONE agrees.
    zone = calendar.timezones[0].to_tz()
    assert start.astimezone(zone).utcoffset() == offset
    subject, body = em.email_text(handover, method=ev.REQUEST, language="nl")
    assert "18:00-19:00" in body and "18:00" in subject


def test_a_reader_that_caches_the_first_vtimezone_still_gets_later_offsets_right():
    """Regression: with a VTIMEZONE for the event's days only, vobject read a March 2027
    handover with the rules of an October 2026 invite it had parsed before (UTC+1)."""
    forget_vobject_zone()
    for start, wall, offset in DST_CASES:
        data = build("request", facts(starts_at=start, ends_at=start + timedelta(hours=1)))
        _, vcal, _ = parse(data, fresh_zone=False)
        assert vcal.vevent.dtstart.value.utcoffset() == offset, wall
        assert vcal.vevent.dtstart.value.astimezone(UTC) == start


def test_cancel_of_a_swapped_interpreter_lists_only_them():
    swapped = facts(
        sequence=1,
        interpreter_name=NEW_INTERPRETER.name,
        attendees=(AGENCY, NEW_INTERPRETER, CONSULTANT),
    )
    withdrawn = build("cancel", swapped, attendees=[INTERPRETER])
    events, vcal, calendar = parse(withdrawn)
    assert calendar["METHOD"] == "CANCEL" and events[0].uid == UID and events[0].sequence == 1
    assert [str(a) for a in events[0].attendees] == ["mailto:anna@tolk.example"]
    assert [p["value"] for p in vparams(vcal, "attendee")] == ["mailto:anna@tolk.example"]
    assert "STATUS" not in events[0]  # RFC 5546 3.2.5: the handover itself goes ahead
    assert b"RSVP" not in withdrawn and b"PARTSTAT" not in withdrawn
    assert b"Marta" not in withdrawn  # the removed do not learn who replaces them
    others, _, _ = parse(build("request", swapped))
    assert (others[0].uid, others[0].sequence) == (UID, 1)
    assert [str(a) for a in others[0].attendees] == [
        "mailto:burgerzaken@meierijstad.example",
        "mailto:marta@tolk.example",
        "mailto:piotr@bmip.example",
    ]
    subject, body = em.email_text(swapped, method=ev.CANCEL, language="en", everyone=False)
    assert subject.startswith("Invitation withdrawn") and "goes ahead without you" in body


def test_cancel_of_the_whole_handover_tells_everyone():
    events, vcal, _ = parse(build("cancel", facts(sequence=3)))
    assert events[0]["STATUS"] == "CANCELLED" and events[0].sequence == 3
    assert len(events[0].attendees) == len(vparams(vcal, "attendee")) == 3
    with pytest.raises(ValueError, match="whom"):
        build("cancel", facts(), attendees=[])


def test_feed_publishes_every_handover_with_the_invites_uids():
    handovers = [
        facts(appointment_id=n, sequence=n % 3, starts_at=start, ends_at=start + timedelta(hours=1))
        for n, (start, _, _) in enumerate(DST_CASES, start=20)
    ]
    data = ev.feed(
        "Gemeente Meierijstad: warme overdrachten",
        handovers,
        mailbox=ORGANIZER.email,
        public_base_url=BASE_URL,
        now=NOW,
        zone=ZONE,
        language="nl",
    )
    events, vcal, calendar = parse(data)
    assert calendar["METHOD"] == vcal.method.value == "PUBLISH"
    assert b"METHOD:REQUEST" not in data
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in data
    assert calendar.calendar_name == vcal.contents["x-wr-calname"][0].value
    assert vcal.contents["name"][0].value == "Gemeente Meierijstad: warme overdrachten"
    assert [(e.uid, e.sequence) for e in events] == [
        (fa.handover_uid(h.appointment_id, BASE_URL), h.sequence) for h in handovers
    ]
    assert b"ATTENDEE" not in data and b"PARTSTAT" not in data and b"RSVP" not in data
    assert len(calendar.timezones) == 1
    for event, handover in zip(vcal.vevent_list, handovers, strict=True):
        assert event.dtstart.value.astimezone(UTC) == handover.starts_at
        assert event.dtstart.value.hour == 18
    empty = ev.feed(
        "Leeg", [], mailbox=ORGANIZER.email, public_base_url=BASE_URL, now=NOW, zone=ZONE
    )
    assert Calendar.from_ical(empty).events == [] and vobject.readOne(empty.decode())


def test_description_says_what_who_and_the_consented_note():
    text = fa.description(facts(), "nl")
    assert text.endswith(NOTE)
    assert "Pools" in text and "Anna Nowak" in text and "Informatiepunt Veghel" in text
    english = fa.description(facts(), "en")
    assert "Polish" in english and "on site" in english and "does not join" in english
    bare = fa.description(facts(interpreter_mode=None, note="", consultant_joins=True), "en")
    assert "No interpreter" in bare and "Piotr Kowal of Informatiepunt Veghel joins" in bare
    assert "consent" not in bare
    for language in ("nl", "en"):
        assert not PHONE.search(fa.description(facts(), language))


def test_a_phone_number_typed_into_the_note_never_leaves():
    typed = facts(note="Bel haar op 06-12345678 of +48 601 234 567, na 17u.")
    outputs = [
        build("request", typed),
        build("cancel", typed),
        ev.feed(
            "x", [typed], mailbox=ORGANIZER.email, public_base_url=BASE_URL, now=NOW, zone=ZONE
        ),
    ]
    for method in (ev.REQUEST, ev.CANCEL):
        outputs += [part.encode() for part in em.email_text(typed, method=method)]
    for data in outputs:
        text = data.decode()
        assert "12345678" not in text and "601 234 567" not in text
    events, _, _ = parse(outputs[0])
    assert str(events[0]["DESCRIPTION"]).endswith(
        "Bel haar op [nummer verwijderd] of [nummer verwijderd], na 17u."
    )
    assert fa.shareable_note(typed.note, "en") == (
        "Bel haar op [number removed] of [number removed], na 17u."
    )


def test_video_handover_has_a_link_and_a_conference():
    link = "https://video.loket.example/r/k7"
    video = facts(place=Handover.BY_VIDEO, video_url=link, interpreter_mode=StaffMember.BY_VIDEO)
    events, vcal, _ = parse(build("request", video))
    assert str(events[0]["LOCATION"]).endswith(link)
    assert [c.uri for c in events[0].conferences] == [link]
    conference = vparams(vcal, "conference")[0]
    assert conference["VALUE"] == "URI" and conference["FEATURE"] == "VIDEO"
    assert vcal.vevent.url.value == link
    with pytest.raises(ValueError, match="video link"):
        facts(place=Handover.BY_VIDEO)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        facts(starts_at=datetime(2026, 10, 26, 18, 0))
    with pytest.raises(ValueError, match="aware"):
        ev.request(
            facts(), mailbox=ORGANIZER.email, public_base_url=BASE_URL, now=datetime(2026, 1, 1)
        )


def test_email_text_stands_without_a_calendar():
    accept, decline = "https://loket.example.nl/r/acc-9f2", "https://loket.example.nl/r/dec-9f2"
    subject, body = em.email_text(
        facts(), method=ev.REQUEST, language="en", accept_url=accept, decline_url=decline
    )
    assert subject.startswith("Invitation: ") and "Monday 26 October, 18:00" in subject
    assert "Monday, 26 October 2026, 18:00-18:45" in body  # 17:00 UTC, CET
    assert f"Accept: {accept}" in body and f"Decline: {decline}" in body
    assert "Markt 1, 5461 KH Veghel" in body and NOTE in body and "Polish" in body
    assert "\n" not in subject
    changed, _ = em.email_text(facts(sequence=1), method=ev.REQUEST, language="en")
    assert changed.startswith("Changed: ")
    cancelled, body = em.email_text(
        facts(sequence=2), method=ev.CANCEL, language="en", accept_url=accept
    )
    assert cancelled.startswith("Cancelled: ") and accept not in body and NOTE not in body
    assert "18:00-18:45" in body
    dutch, body = em.email_text(facts(), method=ev.REQUEST, accept_url=accept)
    assert "maandag 26 oktober, 18:00" in dutch and "Pools" in body
    assert accept in body and decline not in body
    with pytest.raises(ValueError):
        em.email_text(facts(), method=ev.PUBLISH)


#: What breaks iCalendar text: separators, escapes, line breaks of every kind, quotes,
#: carets (RFC 6868), non-ASCII, and a phone number.
ICAL_HARD = st.sampled_from(
    [*",;:\\\"'^\n\r\t łșї€", "\r\n", "\u2028", "\x85", "\x00", " 06 1234 5678 "]
)
TEXTS = st.lists(st.one_of(ICAL_HARD, st.characters(exclude_categories=("Cs",))), max_size=120).map(
    "".join
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=TEXTS, name=TEXTS, topic=TEXTS)
def test_any_note_and_name_parse_back_the_same_in_both_parsers(note, name, topic):
    handover = facts(
        note=note,
        topic=topic,
        interpreter_name=name,
        attendees=(AGENCY, replace(INTERPRETER, name=name), CONSULTANT),
    )
    data = build("request", handover)
    events, vcal, _ = parse(data)
    shared = fa.shareable_note(note)
    expected = fa.description(handover, "nl")
    assert str(events[0]["DESCRIPTION"]) == vcal.vevent.description.value == expected
    assert str(events[0]["SUMMARY"]) == vcal.vevent.summary.value
    if shared.strip():
        assert expected.endswith(f"\n{shared}")
    assert not PHONE.search(shared)
    if not PHONE.search(note) and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", note):
        assert shared == note  # a note without numbers or control characters is kept exactly
    cn = events[0].attendees[1].params.get("CN")
    assert cn == (vparams(vcal, "attendee")[1].get("CN"))
    assert cn is None or ("\n" not in cn and '"' not in cn)
    build("cancel", handover, attendees=[handover.attendees[1]])
