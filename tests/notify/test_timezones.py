"""VTIMEZONEs read alike by icalendar, vobject and ical.js (Thunderbird), issue 13.

Regression: icalendar's own VTIMEZONE (DTSTART plus an RDATE list without it) made ical.js
read an invite for Monday 1 November 2027 10:00 in Amsterdam as 08:00Z instead of 09:00Z.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from booking.notify.ical import handover_events as ev
from booking.notify.ical.calendars import calendar
from booking.notify.ical.zones import transitions, vtimezone
from tests.calendar_readers import READERS, in_every_reader, with_ical_js
from tests.notify.test_handover_calendars import BASE_URL, NOW, ORGANIZER, ZONE, facts

AMSTERDAM = ZoneInfo(ZONE)
#: The last Sundays of March and October, 2027 and 2028.
CHANGES = (date(2027, 3, 28), date(2027, 10, 31), date(2028, 3, 26), date(2028, 10, 29))
#: Local times around and away from the change; 02:30 on a spring Sunday does not exist.
WALLS = (time(0, 30), time(1, 30), time(2, 30), time(3, 30), time(9, 0), time(10, 0), time(18, 0))


def dst_week_starts() -> list[datetime]:
    """Every wall time above from the Friday before each change to the Tuesday after."""
    found = []
    for change in CHANGES:
        for offset in range(-2, 3):
            for wall in WALLS:
                local = datetime.combine(change + timedelta(days=offset), wall, AMSTERDAM)
                instant = local.astimezone(UTC)
                if instant.astimezone(AMSTERDAM).replace(tzinfo=None) == local.replace(
                    tzinfo=None
                ):  # skips the wall time that does not exist
                    found.append(instant)
    return found


def test_the_regression_from_the_issue():
    start = datetime(2027, 11, 1, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam
    data = ev.request(
        facts(starts_at=start, ends_at=start + timedelta(hours=1)),
        mailbox=ORGANIZER.email, public_base_url=BASE_URL, now=NOW,
    )  # fmt: skip
    assert b"RDATE" not in data and b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in data
    [(found_start, _)] = with_ical_js(data).values()
    assert found_start == start


def test_every_invite_in_the_dst_weeks_reads_the_same_in_three_parsers():
    starts = dst_week_starts()
    assert len(starts) == len(CHANGES) * 5 * len(WALLS) - 2  # two spring 02:30s
    for n, start in enumerate(starts):
        handover = facts(appointment_id=n + 1, starts_at=start, ends_at=start + timedelta(hours=1))
        data = ev.request(handover, mailbox=ORGANIZER.email, public_base_url=BASE_URL, now=NOW)
        assert in_every_reader(data) == {
            f"handover-{n + 1}@loket.example.nl": (start, start + timedelta(hours=1))
        }


def test_one_feed_over_both_years_reads_the_same_in_three_parsers():
    starts = dst_week_starts()
    handovers = [
        facts(appointment_id=n + 1, starts_at=s, ends_at=s + timedelta(minutes=45))
        for n, s in enumerate(starts)
    ]
    data = ev.feed(
        "DST", handovers, mailbox=ORGANIZER.email, public_base_url=BASE_URL, now=NOW, zone=ZONE
    )
    assert data.count(b"BEGIN:VTIMEZONE") == 1 and b"RDATE" not in data
    assert in_every_reader(data) == {
        f"handover-{n + 1}@loket.example.nl": (s, s + timedelta(minutes=45))
        for n, s in enumerate(starts)
    }


def test_an_empty_feed_is_a_valid_calendar_with_its_zone():
    data = ev.feed(
        "Leeg", [], mailbox=ORGANIZER.email, public_base_url=BASE_URL, now=NOW, zone=ZONE
    )
    parsed = Calendar.from_ical(data)
    assert [c.name for c in parsed.subcomponents] == ["VTIMEZONE"]
    for read in READERS.values():
        assert read(data) == {}


def test_observances_are_the_zones_rules_from_the_change_in_force():
    zone = vtimezone(ZONE, date(2026, 12, 1), date(2027, 1, 31)).to_ical().decode()
    assert zone.count("BEGIN:STANDARD") == zone.count("BEGIN:DAYLIGHT") == 1
    assert "DTSTART:20261025T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in zone
    assert "DTSTART:20270328T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in zone


#: Northern and southern DST, a zone that dropped DST in 2022, one with a half-hour
#: offset, a zone that never changes, and one that moved its DST rules in 2007.
ZONES = (
    "Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Asia/Tehran",
    "Asia/Kolkata", "UTC", "Europe/Kyiv", "America/Santiago", "Africa/Casablanca",
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    key=st.sampled_from(ZONES),
    first=st.dates(date(2005, 1, 1), date(2035, 12, 31)),
    days=st.integers(0, 800),
    probes=st.lists(st.integers(0, 10**8), min_size=1, max_size=20),
)
def test_icalendar_reads_our_vtimezone_as_zoneinfo_over_the_window(key, first, days, probes):
    last = first + timedelta(days=days)
    component = vtimezone(key, first, last)
    zone = Calendar.from_ical(component.to_ical()).to_tz()
    tz = ZoneInfo(key)
    start = datetime.combine(first, time(), UTC)
    span = (last - first + timedelta(days=1)).total_seconds()
    for probe in probes:
        instant = start + timedelta(seconds=probe % int(span))
        assert instant.astimezone(zone).utcoffset() == instant.astimezone(tz).utcoffset(), instant


@pytest.mark.parametrize("key", ZONES)
def test_ical_js_reads_every_zone_as_zoneinfo(key):
    tz = ZoneInfo(key)
    first, last = date(2027, 1, 1), date(2028, 12, 31)
    found = transitions(tz, datetime(2027, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC))
    # An hour before and after each change, and a quiet day in each month.
    probes = [c.at + timedelta(hours=h) for c in found for h in (-1, 1)]
    probes += [datetime(y, m, 15, 12, tzinfo=UTC) for y in (2027, 2028) for m in range(1, 13)]
    events = []
    for n, instant in enumerate(sorted(probes)):
        handover = replace(
            facts(),
            appointment_id=n,
            starts_at=instant,
            ends_at=instant + timedelta(minutes=30),
            timezone=key,
        )
        events.append(ev._event(handover, ORGANIZER.email, BASE_URL, NOW, "nl", confirmed=True))
        # PEP 495: a repeated wall time never equals an instant of another zone.
        assert events[-1].start.astimezone(UTC) == instant
    data = calendar("PUBLISH", events).to_ical()
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    read = in_every_reader(data)
    assert sorted(s for s, _ in read.values()) == sorted(probes)
    assert vtimezone(key, first, last)["TZID"] == key
