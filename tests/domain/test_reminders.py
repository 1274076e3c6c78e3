"""Reminder times: local days across DST, quiet hours, and what happens when a worker was late."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.domain.opening_hours import wall_to_utc, zone
from booking.domain.reminders import LeadTime, QuietHours, at_send_time, plan_reminders

AMS = zone("Europe/Amsterdam")
QUIET = QuietHours()
DAY, TWO_HOURS = LeadTime.parse("24h"), LeadTime.parse("2h")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return wall_to_utc(day, time(hour, minute), AMS)


def test_lead_times_round_trip_as_text():
    assert [str(LeadTime.parse(t)) for t in ("24h", "2h", "90m", "1d")] == [
        "24h",
        "2h",
        "90m",
        "24h",
    ]
    assert str(QuietHours.parse("21:00-08:00")) == "21:00-08:00"
    with pytest.raises(ValueError):
        LeadTime.parse("soon")


@pytest.mark.parametrize(
    ("day", "hours_between"),
    [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25)],
    ids=["last-sunday-of-march", "last-sunday-of-october"],
)
def test_the_day_before_reminder_keeps_the_local_time_across_dst(day, hours_between):
    start = local(day, 18, 30)
    due = plan_reminders(
        start, (DAY, TWO_HOURS), tz=AMS, now=start - timedelta(days=3), quiet=QUIET
    )
    assert [d.astimezone(AMS).strftime("%d %H:%M") for d in due] == [
        f"{day.day - 1:02d} 18:30",
        f"{day.day:02d} 16:30",
    ]
    assert start - due[0] == timedelta(hours=hours_between)  # the clocks moved in between


def test_a_reminder_in_quiet_hours_moves_to_the_nearest_allowed_time_or_is_skipped():
    now = local(date(2026, 11, 28), 12)
    nine = plan_reminders(
        local(date(2026, 12, 2), 9), (DAY, TWO_HOURS), tz=AMS, now=now, quiet=QUIET
    )
    # Due 07:00: 08:00 is an hour away, 20:30 the evening before ten and a half.
    assert [d.astimezone(AMS).strftime("%d %H:%M") for d in nine] == ["01 09:00", "02 08:00"]
    half_past_eight = local(date(2026, 12, 2), 8, 30)
    early = plan_reminders(half_past_eight, (DAY, TWO_HOURS), tz=AMS, now=now, quiet=QUIET)
    # Due 06:30: 08:00 is nearer but leaves half an hour, so the 2-hour reminder is skipped.
    assert [d.astimezone(AMS).strftime("%d %H:%M") for d in early] == ["01 08:30"]
    late = plan_reminders(
        local(date(2026, 12, 2), 10), (LeadTime.parse("12h"),), tz=AMS, now=now, quiet=QUIET
    )
    # Due 22:00 the evening before: 20:30 is an hour and a half back, 08:00 ten hours on.
    assert [d.astimezone(AMS).strftime("%d %H:%M") for d in late] == ["01 20:30"]


def test_an_appointment_in_the_quiet_window_keeps_its_early_reminder():
    start = local(date(2026, 12, 2), 7, 30)
    due = plan_reminders(start, (TWO_HOURS,), tz=AMS, now=local(date(2026, 12, 1), 12), quiet=QUIET)
    assert [d.astimezone(AMS).strftime("%H:%M") for d in due] == ["05:30"]


def test_late_bookings_get_only_the_reminders_still_ahead():
    start = local(date(2026, 12, 1), 18, 0)
    due = plan_reminders(
        start, (DAY, TWO_HOURS), tz=AMS, now=local(date(2026, 12, 1), 12), quiet=QUIET
    )
    assert [d.astimezone(AMS).strftime("%H:%M") for d in due] == ["16:00"]
    assert (
        plan_reminders(
            start, (DAY, TWO_HOURS), tz=AMS, now=local(date(2026, 12, 1), 17), quiet=QUIET
        )
        == []
    )


@given(
    st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31)).map(
        lambda d: d.replace(tzinfo=UTC, second=0, microsecond=0)
    ),
    st.integers(0, 14 * 24 * 60),
)
def test_no_reminder_falls_in_quiet_hours_unless_the_appointment_does(start, minutes_ahead):
    now = start - timedelta(minutes=minutes_ahead)
    for due in plan_reminders(start, (DAY, TWO_HOURS), tz=AMS, now=now, quiet=QUIET):
        assert now < due < start
        assert not QUIET.contains(due, AMS) or QUIET.contains(start, AMS)


def test_a_reminder_delayed_into_the_night_waits_for_the_morning():
    start = local(date(2026, 12, 2), 11, 0)
    assert at_send_time(local(date(2026, 12, 1), 20, 0), start, tz=AMS, quiet=QUIET) is None
    morning = at_send_time(local(date(2026, 12, 1), 23, 0), start, tz=AMS, quiet=QUIET)
    assert morning.astimezone(AMS).strftime("%d %H:%M") == "02 08:00"
    night_appointment = local(date(2026, 12, 2), 6, 0)
    assert (
        at_send_time(local(date(2026, 12, 2), 4, 0), night_appointment, tz=AMS, quiet=QUIET) is None
    )
