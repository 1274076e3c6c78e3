"""A year of the demo's appointments, planned as plain data: pure and seeded.

Every consultant's shifts are walked day by day on the 15-minute grid inside the point's
hours; each free start is taken with a chance that rises in the evening and on Saturday
and falls with the distance ahead (the coming weeks are still filling). A consultant's
appointments follow each other, and interpreters and agency places are booked only where
they are free, so no two allocations of one resource overlap (the database would refuse).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.domain.opening_hours import holidays_between

GRID = timedelta(minutes=15)
HANDOVER_MINUTES = 60
#: The language mix of the pilot region's visitors (weights).
LANGUAGES = {
    "pl": 40,
    "ro": 20,
    "bg": 10,
    "uk": 9,
    "nl": 6,
    "en": 5,
    "lt": 4,
    "hu": 3,
    "pt": 2,
    "sk": 1,
}
FIRST_NAMES = {
    "pl": ("Kasia", "Piotr", "Ania", "Tomek", "Magda", "Bartek"),
    "ro": ("Maria", "Ion", "Elena", "Mihai", "Ana"),
    "bg": ("Ivan", "Maria", "Georgi", "Desislava"),
    "uk": ("Oksana", "Andrii", "Natalia", "Yurii"),
}


@dataclass(frozen=True, slots=True)
class Shift:
    """A consultant's weekly working time at a point, local."""

    staff: int
    point: int
    weekday: int
    starts: time
    ends: time


@dataclass(frozen=True, slots=True)
class Interpreter:
    staff: int
    languages: frozenset[str]
    modes: tuple[str, ...]
    weekdays: frozenset[int]
    starts: time
    ends: time


@dataclass(frozen=True, slots=True)
class AgencyTerms:
    id: int
    #: weekday -> [(opens, closes, places)]
    hours: Mapping[int, tuple[tuple[time, time, int], ...]]
    #: Topic ids it takes; empty: any.
    topics: frozenset[int]
    video_only: bool


@dataclass(frozen=True, slots=True)
class World:
    """What the history is planned in: local hours, people and terms, by database id."""

    tz: ZoneInfo
    #: point id -> weekday -> [(opens, closes)]
    hours: Mapping[int, Mapping[int, tuple[tuple[time, time], ...]]]
    #: point id -> how busy it is against the pilot (1.0)
    rate: Mapping[int, float]
    walk_ins: frozenset[int]
    shifts: tuple[Shift, ...]
    speaks: Mapping[int, frozenset[str]]
    interpreters: tuple[Interpreter, ...]
    agencies: tuple[AgencyTerms, ...]
    #: topic id -> minutes
    topics: Mapping[int, int]
    callback_point: int | None


@dataclass(frozen=True, slots=True)
class PlannedHandover:
    agency: int
    agency_place: int
    place: str
    interpreter_mode: str | None
    #: Everyone invited has answered (past ones always).
    answered: bool
    outcome: str | None


@dataclass(frozen=True, slots=True)
class PlannedMessage:
    kind: str
    status: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Visit:
    point: int
    topic: int
    staff: int
    language: str
    channel: str
    status: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    interpreter: int | None = None
    handover: PlannedHandover | None = None
    messages: tuple[PlannedMessage, ...] = ()
    will_come: bool = False
    first_name: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedCallback:
    point: int
    language: str
    created_at: datetime
    status: str
    done_at: datetime | None


@dataclass(slots=True)
class _Busy:
    """Taken intervals by resource and day (nothing spans midnight), so a check reads one
    day's few intervals."""

    taken: dict[tuple[object, date], list[tuple[datetime, datetime]]] = field(default_factory=dict)

    def free(self, key: object, start: datetime, end: datetime) -> bool:
        return all(end <= a or b <= start for a, b in self.taken.get((key, start.date()), ()))

    def take(self, key: object, start: datetime, end: datetime) -> None:
        self.taken.setdefault((key, start.date()), []).append((start, end))


def plan_history(
    world: World, today: date, now: datetime, *, days_back: int = 365, days_ahead: int = 21,
    seed: int = 16,
) -> tuple[list[Visit], list[PlannedCallback]]:  # fmt: skip
    """The visits and call-backs from ``days_back`` before ``today`` to ``days_ahead`` after;
    the same arguments give the same plan."""
    rng = random.Random(seed)
    first, last = today - timedelta(days=days_back), today + timedelta(days=days_ahead)
    closed = holidays_between(first, last)
    visits: list[Visit] = []
    callbacks: list[PlannedCallback] = []
    busy = _Busy()
    by_weekday: dict[int, list[Shift]] = {}
    for shift in sorted(world.shifts, key=lambda s: (s.staff, s.starts)):
        by_weekday.setdefault(shift.weekday, []).append(shift)
    day = first
    while day <= last:
        if day not in closed:
            for shift in by_weekday.get(day.weekday(), ()):
                for opens, closes in world.hours.get(shift.point, {}).get(day.weekday(), ()):
                    visits += _walk(world, rng, busy, shift, day, opens, closes, today, now)
            callbacks += _callbacks(world, rng, day, today, now)
        day += timedelta(days=1)
    return visits, callbacks


def _walk(
    world: World, rng: random.Random, busy: _Busy, shift: Shift, day: date, opens: time,
    closes: time, today: date, now: datetime,
) -> list[Visit]:  # fmt: skip
    """The appointments of one shift inside one stretch of the point's hours."""
    tz = world.tz
    start = datetime.combine(day, max(opens, shift.starts), tz)
    end = datetime.combine(day, min(closes, shift.ends), tz)
    ahead = (day - today).days
    fill = world.rate.get(shift.point, 0.0) * (1.0 if ahead <= 0 else max(0.1, 1 - ahead / 24))
    found = []
    while start < end:
        evening = start.hour >= 17 or day.weekday() >= 5
        if not busy.free(shift.staff, start, start + GRID) or rng.random() > fill * (
            0.5 if evening else 0.27
        ):
            start += GRID
            continue
        visit = None
        if day.weekday() < 5 and rng.random() < 0.09:
            visit = _handover(world, rng, busy, shift, start, end, now)
        if visit is None:
            visit = _visit(world, rng, shift, start, end, now)
        if visit is None:
            start += GRID
            continue
        busy.take(shift.staff, visit.starts_at, visit.ends_at)
        found.append(visit)
        start = visit.ends_at
    return found


def _language(rng: random.Random, among: frozenset[str] | None = None) -> str:
    choices = [(k, w) for k, w in LANGUAGES.items() if among is None or k in among]
    if not choices:
        return sorted(among or {"nl"})[0]
    return rng.choices([k for k, _ in choices], [w for _, w in choices])[0]


def _visit(
    world: World, rng: random.Random, shift: Shift, start: datetime, end: datetime, now: datetime
) -> Visit | None:
    topic = rng.choice(sorted(world.topics))
    stop = start + timedelta(minutes=world.topics[topic])
    if stop > end:
        return None
    past = stop <= now
    if past and shift.point in world.walk_ins and rng.random() < 0.25:
        channel = "walk_in"
    else:
        channel = "phone" if rng.random() < 0.25 else "online"
    language = _language(rng, world.speaks.get(shift.staff))
    created = _booked(rng, channel, start, now)
    status = _status(rng, channel, start, stop, now)
    return Visit(
        point=shift.point,
        topic=topic,
        staff=shift.staff,
        language=language,
        channel=channel,
        status=status,
        starts_at=start,
        ends_at=stop,
        created_at=created,
        messages=_messages(rng, channel, status, start, created, now),
        will_come=status == "confirmed" and start - now < timedelta(days=1) and rng.random() < 0.4,
        first_name=_first_name(rng, language),
    )


def _handover(
    world: World, rng: random.Random, busy: _Busy, shift: Shift, start: datetime, end: datetime,
    now: datetime,
) -> Visit | None:  # fmt: skip
    """A warm handover with an interpreter, where an agency place and one are free."""
    stop = start + timedelta(minutes=HANDOVER_MINUTES)
    if stop > end:
        return None
    language = _language(rng)
    local = start.timetz().replace(tzinfo=None), stop.timetz().replace(tzinfo=None)
    interpreters = [
        i
        for i in world.interpreters
        if language in i.languages
        and start.weekday() in i.weekdays
        and i.starts <= local[0]
        and local[1] <= i.ends
        and busy.free(i.staff, start, stop)
    ]
    if not interpreters:
        return None
    interpreter = rng.choice(interpreters)
    topic = rng.choice(sorted(world.topics))
    for agency in rng.sample(world.agencies, len(world.agencies)):
        if agency.topics and topic not in agency.topics:
            continue
        for opens, closes, places in agency.hours.get(start.weekday(), ()):
            if not (opens <= local[0] and local[1] <= closes):
                continue
            for number in range(1, places + 1):
                key = ("agency", agency.id, number)
                if busy.free(key, start, stop):
                    busy.take(key, start, stop)
                    busy.take(interpreter.staff, start, stop)
                    return _handover_visit(
                        rng, shift, topic, language, interpreter, agency, number, start, now
                    )
    return None


def _handover_visit(
    rng: random.Random, shift: Shift, topic: int, language: str, interpreter: Interpreter,
    agency: AgencyTerms, number: int, start: datetime, now: datetime,
) -> Visit:  # fmt: skip
    stop = start + timedelta(minutes=HANDOVER_MINUTES)
    place = "video" if agency.video_only else "agency"
    modes = [m for m in interpreter.modes if place == "agency" or m != "on_site"]
    created = _booked(rng, "handover", start, now)
    status = _status(rng, "handover", start, stop, now)
    outcome = {"done": "took_place", "no_show": "migrant_absent"}.get(status)
    if status == "done" and rng.random() < 0.05:
        outcome = "agency_absent"
    return Visit(
        point=shift.point,
        topic=topic,
        staff=shift.staff,
        language=language,
        channel="handover",
        status=status,
        starts_at=start,
        ends_at=stop,
        created_at=created,
        interpreter=interpreter.staff,
        handover=PlannedHandover(
            agency=agency.id,
            agency_place=number,
            place=place,
            interpreter_mode=rng.choice(modes) if modes else None,
            answered=stop <= now or rng.random() < 0.7,
            outcome=outcome,
        ),
        messages=_messages(rng, "handover", status, start, created, now),
        first_name=_first_name(rng, language),
    )


def _booked(rng: random.Random, channel: str, start: datetime, now: datetime) -> datetime:
    """When it was booked: walk-ins on arrival, others hours to two weeks before, never
    after ``now``."""
    if channel == "walk_in":
        return start - timedelta(minutes=rng.randint(2, 20))
    most = {"online": 14 * 24, "phone": 7 * 24, "handover": 10 * 24}[channel]
    booked = start - timedelta(hours=rng.triangular(3, most, 24))
    if booked > now:
        booked = now - timedelta(minutes=rng.randint(5, 3 * 24 * 60))
    return booked.replace(microsecond=0)


def _status(
    rng: random.Random, channel: str, start: datetime, stop: datetime, now: datetime
) -> str:
    draw = rng.random()
    if channel != "walk_in" and draw < (0.11 if stop <= now else 0.05):
        return "cancelled"
    if start > now:
        return "confirmed"
    if stop > now:
        return "arrived"
    if channel != "walk_in" and draw < 0.19:
        return "no_show"
    return "done"


def _messages(
    rng: random.Random, channel: str, status: str, start: datetime, created: datetime,
    now: datetime,
) -> tuple[PlannedMessage, ...]:  # fmt: skip
    """The texts a booking of this kind got, each settled (none waits in the outbox)."""
    if channel == "walk_in":
        return ()

    def settled(kind: str, at: datetime) -> PlannedMessage:
        draw = rng.random()
        state = "failed" if draw < 0.04 else "sent" if draw < 0.12 else "delivered"
        return PlannedMessage(kind, state, at + timedelta(seconds=rng.randint(2, 40)))

    sent = [settled("code", created)] if channel == "online" else []
    sent.append(settled("confirmation", created + timedelta(minutes=1)))
    reminder = start - timedelta(days=1)
    if created < reminder <= now and status != "cancelled":
        sent.append(settled("reminder", reminder))
    if status == "cancelled":
        cancelled = created + (min(start, now) - created) * rng.random()
        sent.append(settled("cancellation", cancelled))
    return tuple(sent)


def _first_name(rng: random.Random, language: str) -> str | None:
    names = FIRST_NAMES.get(language)
    return rng.choice(names) if names and rng.random() < 0.4 else None


def _callbacks(
    world: World, rng: random.Random, day: date, today: date, now: datetime
) -> Sequence[PlannedCallback]:
    """A few "call me back" requests on the telephone hour's days, the last ones open."""
    point = world.callback_point
    if point is None or day > today or not world.hours.get(point, {}).get(day.weekday()):
        return []
    found = []
    for _ in range(rng.randint(0, 3)):
        created = datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59)), world.tz)
        if created > now:
            continue
        recent = (today - day).days <= 2
        status = "open" if recent and rng.random() < 0.7 else "done"
        done = None if status == "open" else created + timedelta(hours=rng.randint(2, 30))
        found.append(PlannedCallback(point, _language(rng), created, status, done))
    return found
