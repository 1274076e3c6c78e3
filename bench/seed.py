"""Benchmark data: the demo scaled up at one point (issue 2: 20 consultants, 10 interpreters,
5,000 appointments over 8 weeks), written in bulk so seeding takes seconds."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from booking.db.tables import (
    Allocation,
    Appointment,
    MigrantContact,
    OpeningHours,
    Point,
    Region,
    StaffMember,
    StaffPoint,
    StaffSchedule,
    Topic,
)
from booking.db.transactions import write_transaction
from booking.domain.opening_hours import wall_to_utc, zone
from booking.reports.stamps import stamp

TZ = "Europe/Amsterdam"
HOURS = [(d, time(9), time(17)) for d in range(5)] + [(d, time(17), time(21)) for d in (1, 3)]
HOURS += [(5, time(10), time(14))]
LANGUAGES = ["pl", "pl", "pl", "pl", "ro", "ro", "bg", "uk", "lt", "hu", "nl", "en"]
INTERPRETER_LANGUAGES = ["pl", "ro", "bg", "uk", "lt", "hu", "lv", "sk", "pt", "ru"]
APPOINTMENTS = 5_000
WEEKS = 8
BATCH = 500


async def seed(today: date, rng: random.Random) -> dict[str, int]:
    """Creates the point and its people and fills 8 weeks with 5,000 appointments."""
    async with write_transaction():
        region = (await Region.insert(Region(code="bench", name="Bench")))[0]["id"]
        point = (
            await Point.insert(
                Point(region=region, slug="bench", name="Bench point", kind="physical", timezone=TZ)
            )
        )[0]["id"]
        await OpeningHours.insert(
            *(OpeningHours(point=point, weekday=d, opens=a, closes=b) for d, a, b in HOURS)
        )
        topic = (
            await Topic.insert(Topic(slug="bench", name={"en": "Bench"}, duration_minutes=30))
        )[0]["id"]
        consultants = []
        for n in range(20):
            languages = sorted({LANGUAGES[n % len(LANGUAGES)], "nl"})
            consultants.append(await _person(point, f"Consultant {n}", "consultant", languages))
        for n in range(10):
            await _person(
                point, f"Interpreter {n}", "interpreter", [INTERPRETER_LANGUAGES[n], "nl"]
            )

    starts = _busy_plan(today, consultants, rng)
    booked = datetime.now(UTC)
    for chunk in range(0, len(starts), BATCH):
        async with write_transaction():
            part = starts[chunk : chunk + BATCH]
            contacts = await MigrantContact.insert(
                *(MigrantContact(phone=f"+48601{n:06d}", language="pl") for n in range(len(part)))
            )
            appointments = await Appointment.insert(
                *(
                    Appointment(
                        point=point,
                        topic=topic,
                        contact=c["id"],
                        language="pl",
                        channel="online",
                        status="confirmed",
                        starts_at=start,
                        ends_at=start + timedelta(minutes=30),
                        created_at=booked,
                        **stamp(start, booked, zone(TZ)).columns(),
                    )
                    for c, (start, _) in zip(contacts, part, strict=True)
                )
            )
            await Allocation.insert(
                *(
                    Allocation(
                        appointment=a["id"],
                        resource=f"staff:{staff}",
                        role="consultant",
                        staff=staff,
                        starts_at=start,
                        ends_at=start + timedelta(minutes=30),
                    )
                    for a, (start, staff) in zip(appointments, part, strict=True)
                )
            )
    return {"point": point, "topic": topic, "appointments": len(starts)}


async def _person(point: int, name: str, kind: str, languages: list[str]) -> int:
    staff = (
        await StaffMember.insert(
            StaffMember(name=name, kind=kind, languages=languages, interpreter_modes=["phone"])
        )
    )[0]["id"]
    await StaffPoint.insert(StaffPoint(staff=staff, point=point))
    await StaffSchedule.insert(
        *(StaffSchedule(staff=staff, point=point, weekday=d, starts=a, ends=b) for d, a, b in HOURS)
    )
    return staff


def _busy_plan(
    today: date, consultants: list[int], rng: random.Random
) -> list[tuple[datetime, int]]:
    """5,000 (start, consultant) pairs on the half-hour grid, none overlapping per person."""
    tz = zone(TZ)
    candidates = []
    for offset in range(WEEKS * 7):
        day = today + timedelta(days=offset)
        for weekday, opens, closes in HOURS:
            if day.weekday() != weekday:
                continue
            minute = opens.hour * 60
            while minute + 30 <= closes.hour * 60:
                start = wall_to_utc(day, time(minute // 60, minute % 60), tz)
                candidates.extend((start, staff) for staff in consultants)
                minute += 30
    return sorted(rng.sample(candidates, APPOINTMENTS))
