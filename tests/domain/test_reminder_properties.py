"""Reminder lead times and quiet hours across both clock changes, against zoneinfo's wall
clock (issues 11 and 14).

README: whole days of a lead time count on the local calendar, the rest is absolute time.
The oracle checks that on the clock face: adding the rest back to the due instant shows, in
Amsterdam, the appointment's own wall time on the date that many days earlier; it never
calls the code's wall-to-UTC conversion. Quiet hours (21:00-08:00): a reminder due in them
goes at the nearer of 20:30 before them and 08:00 after them, or not at all when 08:00 is
nearer and leaves less than an hour; the oracle builds those two instants with zoneinfo.
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking.domain.opening_hours import zone
from booking.domain.reminders import LeadTime, QuietHours, plan_reminders

AMS = zone("Europe/Amsterdam")
#: The weeks after both changes of 2026 and 2027, so that a lead of days crosses one.
WEEKS_AFTER = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]

#: Local appointment times on the quarter hour, outside 02:00-03:00 (which may not exist or
#: may come twice, on the day the reminder is counted from too).
local_times = (
    st.integers(0, 95).map(lambda q: time(q // 4, q % 4 * 15)).filter(lambda t: t.hour != 2)
)


@st.composite
def appointments(draw) -> datetime:
    change = draw(st.sampled_from(WEEKS_AFTER))
    day = change + timedelta(days=draw(st.integers(0, 6)))
    wall = draw(local_times)
    return datetime.combine(day, wall, AMS).astimezone(UTC)


leads = (
    st.tuples(st.integers(0, 3), st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
    .map(lambda dhm: dhm[0] * 1440 + dhm[1] * 60 + dhm[2])
    .filter(lambda minutes: minutes > 0)
)


@given(appointments(), leads)
def test_whole_days_count_on_the_local_calendar_and_the_rest_in_absolute_time(start, minutes):
    lead = LeadTime(minutes)
    days, rest = divmod(minutes, 1440)
    due = lead.before(start, AMS)
    wall_of_start = start.astimezone(AMS)
    back = (due + timedelta(minutes=rest)).astimezone(AMS)
    assert back.date() == wall_of_start.date() - timedelta(days=days)
    assert back.time() == wall_of_start.time()
    # Therefore a day's lead is 23, 24 or 25 hours long, never anything else.
    assert start - due - timedelta(minutes=rest) in {
        timedelta(hours=24 * days + shift) for shift in (-1, 0, 1)
    }


@given(appointments())
def test_the_day_before_reminder_of_a_daytime_appointment_keeps_its_clock_time(start):
    wall = start.astimezone(AMS)
    day_before = LeadTime.parse("24h")
    due = plan_reminders(
        start,
        (day_before, LeadTime.parse("2h")),
        tz=AMS,
        now=start - timedelta(days=3),
        quiet=QuietHours(),
    )
    # The 2-hour reminder of an appointment at 08:00-08:59 would go at 08:00: skipped.
    assert len(due) == (1 if time(8) <= wall.time() < time(9) else 2)
    assert due == sorted(due) and due[-1] < start
    first = due[0].astimezone(AMS)
    if time(8) <= wall.time() < time(21):
        assert (first.date(), first.time()) == (wall.date() - timedelta(days=1), wall.time())
    if time(10) <= wall.time() < time(21):
        assert start - due[1] == timedelta(hours=2)


def clock_face(day: date, wall: time) -> datetime:
    """``wall`` on ``day`` in Amsterdam, by zoneinfo alone (20:30 and 08:00 always exist)."""
    return datetime.combine(day, wall, AMS).astimezone(UTC)


def quiet_on_the_clock(instant: datetime) -> bool:
    clock = instant.astimezone(AMS).time()
    return clock >= time(21) or clock < time(8)


def expected_placing(raw: datetime, start: datetime) -> datetime | None:
    """The oracle: where a reminder due at ``raw`` goes, or None."""
    if not quiet_on_the_clock(raw) or quiet_on_the_clock(start):
        return raw
    wall = raw.astimezone(AMS)
    evening = wall.date() if wall.time() >= time(21) else wall.date() - timedelta(days=1)
    before = clock_face(evening, time(20, 30))
    after = clock_face(evening + timedelta(days=1), time(8))
    if raw - before < after - raw:
        return before
    return after if start - after >= timedelta(hours=1) else None


@given(appointments(), leads)
def test_a_reminder_in_quiet_hours_goes_at_the_nearest_allowed_time_or_not_at_all(start, minutes):
    lead = LeadTime(minutes)
    raw = lead.before(start, AMS)
    planned = plan_reminders(
        start, (lead,), tz=AMS, now=raw - timedelta(days=1), quiet=QuietHours()
    )
    expected = expected_placing(raw, start)
    assert planned == ([] if expected is None or expected >= start else [expected])
    for due in planned:
        assert not quiet_on_the_clock(due) or quiet_on_the_clock(start)
        assert due < start
        if due > raw:  # moved forward to the morning
            assert start - due >= timedelta(hours=1)


@given(appointments(), st.lists(leads, min_size=1, max_size=3), st.integers(0, 4 * 24 * 60))
def test_planned_reminders_are_ahead_ordered_and_never_in_the_night_of_a_daytime_appointment(
    start, minutes, minutes_ahead
):
    now = start - timedelta(minutes=minutes_ahead)
    planned = plan_reminders(
        start, tuple(LeadTime(m) for m in minutes), tz=AMS, now=now, quiet=QuietHours()
    )
    assert planned == sorted(set(planned))
    for due in planned:
        assert now < due < start
        assert not quiet_on_the_clock(due) or quiet_on_the_clock(start)


@given(st.sampled_from(WEEKS_AFTER), st.integers(0, 6))
def test_the_two_hour_reminder_of_a_nine_oclock_appointment_goes_at_eight_that_morning(
    change, offset
):
    day = change + timedelta(days=offset)
    start = clock_face(day, time(9))
    planned = plan_reminders(
        start, (LeadTime.parse("2h"),), tz=AMS, now=start - timedelta(days=2), quiet=QuietHours()
    )
    assert planned == [clock_face(day, time(8))]  # never 20:30 the evening before
    early = clock_face(day, time(8, 30))
    assert (
        plan_reminders(
            early,
            (LeadTime.parse("2h"),),
            tz=AMS,
            now=early - timedelta(days=2),
            quiet=QuietHours(),
        )
        == []
    )
