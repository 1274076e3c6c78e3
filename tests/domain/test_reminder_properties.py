"""Reminder lead times across both clock changes, against zoneinfo's wall clock (issue 11).

README: whole days of a lead time count on the local calendar, the rest is absolute time.
The oracle checks that on the clock face: adding the rest back to the due instant shows, in
Amsterdam, the appointment's own wall time on the date that many days earlier; it never
calls the code's wall-to-UTC conversion.
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
    assert len(due) == 2 and due[0] < due[1] < start
    first = due[0].astimezone(AMS)
    if time(8) <= wall.time() < time(21):
        assert (first.date(), first.time()) == (wall.date() - timedelta(days=1), wall.time())
    if time(10) <= wall.time() < time(21):
        assert start - due[1] == timedelta(hours=2)
