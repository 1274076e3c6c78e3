"""The local fields stored for the reports, against wall clocks read off by hand (issue 12).

Europe/Amsterdam: on Sunday 25 October 2026 the clocks go back at 03:00 (02:30 happens
twice: 00:30 and 01:30 UTC); on Sunday 28 March 2027 they go forward at 02:00 (01:30 UTC is
03:30 local)."""

from datetime import UTC, date, datetime

from booking.domain.opening_hours import zone
from booking.reports.stamps import Stamp, stamp

AMS = zone("Europe/Amsterdam")
SUNDAY = 6


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_both_half_past_twos_of_the_autumn_change_are_on_that_sunday_at_two():
    booked = utc("2026-10-20T10:00")
    for instant in (utc("2026-10-25T00:30"), utc("2026-10-25T01:30")):
        s = stamp(instant, booked, AMS)
        assert (s.local_date, s.local_weekday, s.local_hour) == (date(2026, 10, 25), SUNDAY, 2)
        assert s.lead_days == 5
    # An hour of wall clock apart, but the second one is booked an hour longer ahead.
    assert stamp(utc("2026-10-25T01:30"), booked, AMS).lead_minutes == (4 * 24 + 15) * 60 + 30


def test_the_spring_change_skips_two_oclock():
    assert stamp(utc("2027-03-28T00:59"), utc("2027-03-27T23:00"), AMS) == Stamp(
        date(2027, 3, 28), SUNDAY, 1, 0, 119
    )
    assert stamp(utc("2027-03-28T01:30"), utc("2027-03-27T23:00"), AMS).local_hour == 3


def test_local_dates_not_utc_ones_make_the_date_and_the_lead():
    # 00:30 on Thursday 1 October is 22:30 UTC on the 30th; booked at 23:30 local the day
    # before (21:30 UTC): one local day ahead, though the same day in UTC.
    s = stamp(utc("2026-09-30T22:30"), utc("2026-09-30T21:30"), AMS)
    assert (s.local_date, s.local_weekday, s.local_hour) == (date(2026, 10, 1), 3, 0)
    assert (s.lead_days, s.lead_minutes) == (1, 60)
    assert s.columns() == {
        "local_date": date(2026, 10, 1), "local_weekday": 3, "local_hour": 0,
        "lead_days": 1, "lead_minutes": 60,
    }  # fmt: skip
