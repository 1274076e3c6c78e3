"""Availability against a brute-force oracle, on random weeks that include both DST changes."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.domain.availability import (
    SlotRules,
    StaffCalendar,
    blocked_interval,
    find_slots,
    staffings,
    working_time,
)
from booking.domain.intervals import Interval, normalize
from booking.domain.opening_hours import (
    WallHours,
    WeeklyHours,
    WeeklyPattern,
    local_day_bounds,
    wall_to_utc,
    zone,
)

AMS = zone("Europe/Amsterdam")
LANGS = ("pl", "ro", "nl", "bg")
QUARTER = timedelta(minutes=15)


@st.composite
def wall_hours(draw):
    opens = draw(st.integers(0, 23 * 60 - 1))
    closes = draw(st.integers(opens + 1, 24 * 60 - 1))
    return WallHours(time(opens // 60, opens % 60), time(closes // 60, closes % 60))


@st.composite
def pattern(draw):
    return WeeklyPattern(
        weekly=tuple(
            WeeklyHours(d, h) for d in range(7) for h in draw(st.lists(wall_hours(), max_size=2))
        )
    )


@st.composite
def scenario(draw):
    first = draw(
        st.sampled_from([date(2026, 3, 27), date(2026, 10, 23), date(2026, 12, 1)])
        | st.dates(date(2026, 1, 1), date(2027, 12, 31))
    )
    last = first + timedelta(days=draw(st.integers(0, 3)))
    span = local_day_bounds(first, last, AMS)
    point_open = draw(pattern()).intervals(AMS, first, last)

    def busy_list():
        starts = st.integers(0, int(span.duration.total_seconds() // 60))
        return st.lists(
            st.tuples(starts, st.integers(5, 120)).map(
                lambda p: Interval(
                    span.start + timedelta(minutes=p[0]),
                    span.start + timedelta(minutes=p[0] + p[1]),
                )
            ),
            max_size=4,
        )

    def person(staff_id):
        schedule = draw(pattern()).intervals(AMS, first, last)
        return StaffCalendar.of(
            staff_id=staff_id,
            languages=frozenset(draw(st.sets(st.sampled_from(LANGS), max_size=2))),
            working=working_time(point_open, schedule, normalize(draw(busy_list()))),
            busy=tuple(normalize(draw(busy_list()))),
        )

    consultants = [person(i) for i in range(draw(st.integers(0, 3)))]
    interpreters = [person(100 + i) for i in range(draw(st.integers(0, 3)))]
    rules = SlotRules(
        grid=QUARTER,
        buffer=timedelta(minutes=draw(st.sampled_from([0, 5, 10, 15]))),
        min_notice=timedelta(minutes=draw(st.integers(0, 300))),
        horizon=timedelta(days=draw(st.integers(1, 5))),
    )
    now = span.start - timedelta(minutes=draw(st.integers(0, 24 * 60)))
    return dict(
        language=draw(st.sampled_from(LANGS)),
        duration=timedelta(minutes=draw(st.sampled_from([15, 20, 30, 45, 60]))),
        consultants=consultants,
        interpreters=interpreters,
        rules=rules,
        now=now,
        span=span,
        point_open=point_open,
    )


def run(s):
    return find_slots(
        language=s["language"],
        duration=s["duration"],
        consultants=s["consultants"],
        interpreters=s["interpreters"],
        rules=s["rules"],
        now=s["now"],
        tz=AMS,
        within=s["span"],
    )


def oracle(s):
    """Every quarter hour (UTC quarters are local quarters in Amsterdam), checked one by one."""
    rules, duration, lang = s["rules"], s["duration"], s["language"]
    expected = {}
    instant = s["span"].start
    while instant < s["span"].end:
        if s["now"] + rules.min_notice <= instant <= s["now"] + rules.horizon:
            free = [c for c in s["consultants"] if c.can_take(instant, duration, rules.buffer)]
            if any(lang in c.languages for c in free):
                expected[instant] = False
            elif free and any(
                lang in i.languages and i.can_take(instant, duration, rules.buffer)
                for i in s["interpreters"]
            ):
                expected[instant] = True
        instant += QUARTER
    return expected


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_slots_are_exactly_the_times_someone_can_serve(s):
    slots = run(s)
    assert {slot.start: slot.needs_interpreter for slot in slots} == oracle(s)
    assert [slot.start for slot in slots] == sorted({slot.start for slot in slots})


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_every_slot_respects_hours_holds_language_and_time(s):
    rules, duration, lang = s["rules"], s["duration"], s["language"]
    for slot in run(s):
        assert any(o.contains(Interval(slot.start, slot.end)) for o in s["point_open"])
        local = slot.start.astimezone(AMS)
        assert local.minute % 15 == 0 and local.second == 0
        assert wall_to_utc(local.date(), local.time(), AMS) in (
            slot.start,
            slot.start - timedelta(hours=1),
        )
        choices = staffings(
            slot.start,
            language=lang,
            duration=duration,
            consultants=s["consultants"],
            interpreters=s["interpreters"],
            buffer=rules.buffer,
        )
        assert choices
        by_id = {p.staff_id: p for p in s["consultants"] + s["interpreters"]}
        for choice in choices:
            held = blocked_interval(slot.start, duration, rules.buffer)
            people = [by_id[choice.consultant_id]]
            if choice.interpreter_id is not None:
                people.append(by_id[choice.interpreter_id])
            assert (choice.interpreter_id is None) == (lang in people[0].languages)
            assert slot.needs_interpreter == (choice.interpreter_id is not None)
            assert lang in people[-1].languages
            for person in people:
                assert not any(b.overlaps(held) for b in person.busy)
                assert any(w.contains(Interval(slot.start, slot.end)) for w in person.working)


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_booking_admission_agrees_with_search(s):
    """Booking checks one start (grid, notice, horizon, staffing) instead of a whole search."""
    offered = {slot.start for slot in run(s)}
    instant = s["span"].start
    while instant < s["span"].end:
        admitted = s["rules"].admits(instant, s["now"], AMS) and bool(
            staffings(
                instant,
                language=s["language"],
                duration=s["duration"],
                consultants=s["consultants"],
                interpreters=s["interpreters"],
                buffer=s["rules"].buffer,
            )
        )
        assert admitted == (instant in offered), instant
        instant += timedelta(minutes=5)


def always(start: time, end: time, first: date, last: date):
    pattern = WeeklyPattern(weekly=tuple(WeeklyHours(d, WallHours(start, end)) for d in range(7)))
    return pattern.intervals(AMS, first, last)


def test_evening_slots_keep_their_local_times_across_dst():
    for change in (date(2026, 3, 29), date(2026, 10, 25)):
        first, last = change - timedelta(days=3), change + timedelta(days=3)
        hours = always(time(18, 30), time(20, 0), first, last)
        consultant = StaffCalendar.of(1, frozenset({"pl"}), tuple(hours), ())
        slots = find_slots(
            language="pl",
            duration=timedelta(minutes=30),
            consultants=[consultant],
            interpreters=[],
            rules=SlotRules(min_notice=timedelta(0)),
            now=datetime.combine(first, time(0), tzinfo=UTC) - timedelta(days=1),
            tz=AMS,
            within=local_day_bounds(first, last, AMS),
        )
        per_day: dict[date, list[time]] = {}
        for slot in slots:
            local = slot.start.astimezone(AMS)
            per_day.setdefault(local.date(), []).append(local.time())
        assert len(per_day) == 7
        assert all(
            times == [time(18, 30), time(18, 45), time(19), time(19, 15), time(19, 30)]
            for times in per_day.values()
        )


def test_night_opening_on_spring_change_never_offers_the_missing_hour():
    day = date(2026, 3, 29)
    hours = always(time(1, 0), time(4, 0), day, day)
    consultant = StaffCalendar.of(1, frozenset({"ro"}), tuple(hours), ())
    slots = find_slots(
        language="ro",
        duration=timedelta(minutes=30),
        consultants=[consultant],
        interpreters=[],
        rules=SlotRules(min_notice=timedelta(0)),
        now=datetime(2026, 3, 28, tzinfo=UTC),
        tz=AMS,
        within=local_day_bounds(day, day, AMS),
    )
    local = [slot.start.astimezone(AMS).strftime("%H:%M") for slot in slots]
    assert local == ["01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30"]


def test_speaker_is_preferred_and_interpreter_fills_in():
    day = date(2026, 12, 1)
    hours = tuple(always(time(9), time(10), day, day))
    speaker = StaffCalendar.of(
        1,
        frozenset({"pl"}),
        hours,
        (Interval(hours[0].start, hours[0].start + timedelta(minutes=30)),),
    )
    other = StaffCalendar.of(2, frozenset({"nl"}), hours, ())
    interpreter = StaffCalendar.of(3, frozenset({"pl", "nl"}), hours, ())
    args = dict(
        language="pl",
        duration=timedelta(minutes=30),
        consultants=[speaker, other],
        interpreters=[interpreter],
    )
    slots = find_slots(
        **args,
        rules=SlotRules(min_notice=timedelta(0)),
        now=datetime(2026, 11, 30, tzinfo=UTC),
        tz=AMS,
        within=local_day_bounds(day, day, AMS),
    )
    assert [(s.start.astimezone(AMS).strftime("%H:%M"), s.needs_interpreter) for s in slots] == [
        ("09:00", True),
        ("09:15", True),
        ("09:30", False),
    ]
    assert staffings(slots[0].start, **args, buffer=timedelta(0))[0].interpreter_id == 3
    assert staffings(slots[2].start, **args, buffer=timedelta(0)) == [
        staffings(slots[2].start, **args, buffer=timedelta(0))[0]
    ]
    assert staffings(slots[2].start, **args, buffer=timedelta(0))[0].consultant_id == 1
