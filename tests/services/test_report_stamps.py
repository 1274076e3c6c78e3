"""Every write of an appointment stores the local fields the reports group by, and the
migration fills them for rows written before (issue 12). Wall clocks read off by hand."""

from datetime import UTC, date, datetime, timedelta

import pytest
from piccolo.engine.finder import engine_finder

from booking.db.tables import Appointment, Point
from booking.services import appointments, changes
from booking.services.appointments import BookingRequest
from booking.services.handovers import bookings as handovers
from booking.services.point_setup import Catalog
from migrations.booking_2026_12_31t06_00_01_000000 import fill
from tests import factories
from tests.conftest import NOW
from tests.services.test_handovers import THU_18, book, policy, world  # noqa: F401 (fixtures)

FIELDS = (
    Appointment.local_date,
    Appointment.local_weekday,
    Appointment.local_hour,
    Appointment.lead_days,
    Appointment.lead_minutes,
)


async def stored(appointment_id: int) -> tuple:
    row = await Appointment.select(*FIELDS).where(Appointment.id == appointment_id).first()
    return tuple(row.values())


async def test_booking_and_moving_store_the_local_start_and_the_lead(db, policy):  # noqa: F811
    region = await factories.region()
    # Open every day, holidays too: Easter Sunday 2027 is the day the clocks go forward.
    point = await factories.point(region, closed_on_holidays=False)
    topic = await factories.topic()
    await factories.staff(point, ["pl"])
    catalog = Catalog()
    now = datetime(2027, 3, 26, 22, 15, tzinfo=UTC)  # Friday 23:15 local (CET)
    # Sunday 28 March 2027, 18:30 local (CEST) = 16:30 UTC; booked two local days ahead.
    start = datetime(2027, 3, 28, 16, 30, tzinfo=UTC)
    mine = await appointments.book(
        catalog, policy, BookingRequest(point, topic, "pl", start, "+48601234567"), now=now
    )
    assert await stored(mine.id) == (date(2027, 3, 28), 6, 18, 2, 42 * 60 + 15)

    # Moved to Monday 09:00 local (07:00 UTC): the lead still counts from the booking.
    later = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    await changes.reschedule(catalog, policy, mine.manage_token, later, now=now)
    assert await stored(mine.id) == (date(2027, 3, 29), 0, 9, 3, 56 * 60 + 45)


async def test_handovers_store_them_when_booked_and_when_moved(world, policy):  # noqa: F811
    # Tuesday 1 December 2026 18:00 local, booked at 09:00 the same day (NOW).
    appointment_id = await book(world, policy)
    assert await stored(appointment_id) == (date(2026, 12, 1), 1, 18, 0, 9 * 60)
    await handovers.reschedule(Catalog(), policy, appointment_id, THU_18, now=NOW)
    assert await stored(appointment_id) == (date(2026, 12, 3), 3, 18, 2, 57 * 60)


KEPT = {"local_date": date(2000, 1, 1), "local_weekday": 5, "local_hour": 0, "lead_days": 0,
        "lead_minutes": 0}  # fmt: skip


@pytest.fixture
async def unstamped(db) -> dict[str, int]:
    """Rows as written before the migration: without the local fields."""
    region = await factories.region()
    veghel = await factories.point(region)
    lisbon = await factories.point(region, slug="lisbon")
    await Point.update({Point.timezone: "Europe/Lisbon"}).where(Point.id == lisbon)
    topic = await factories.topic()

    async def add(point: int, start: str, booked: str, **stamps) -> int:
        starts = datetime.fromisoformat(start).replace(tzinfo=UTC)
        [row] = await Appointment.insert(
            Appointment(
                point=point, topic=topic, language="pl", channel="online", status="done",
                starts_at=starts, ends_at=starts + timedelta(minutes=30),
                created_at=datetime.fromisoformat(booked).replace(tzinfo=UTC), **stamps,
            )
        )  # fmt: skip
        return row["id"]

    return {
        # 02:30 local twice on the Sunday the clocks go back (25 October 2026), booked at
        # 23:00 local the evening before.
        "first_half_past_two": await add(veghel, "2026-10-25T00:30", "2026-10-24T21:00"),
        "second_half_past_two": await add(veghel, "2026-10-25T01:30", "2026-10-24T21:00"),
        # 23:30 UTC on 30 November: 00:30 on 1 December in Amsterdam, 23:30 in Lisbon.
        "amsterdam": await add(veghel, "2026-11-30T23:30", "2026-11-30T08:00"),
        "lisbon": await add(lisbon, "2026-11-30T23:30", "2026-11-30T08:00"),
        "stamped": await add(veghel, "2026-11-30T23:30", "2026-11-30T08:00", **KEPT),
    }


async def test_the_migration_fills_rows_written_before_it(unstamped, monkeypatch):
    monkeypatch.setattr("migrations.booking_2026_12_31t06_00_01_000000.BATCH", 2)
    await fill(engine_finder())
    assert await stored(unstamped["first_half_past_two"]) == (date(2026, 10, 25), 6, 2, 1, 210)
    assert await stored(unstamped["second_half_past_two"]) == (date(2026, 10, 25), 6, 2, 1, 270)
    assert await stored(unstamped["amsterdam"]) == (date(2026, 12, 1), 1, 0, 1, 930)
    assert await stored(unstamped["lisbon"]) == (date(2026, 11, 30), 0, 23, 0, 930)
    # A row that has its fields keeps them.
    assert await stored(unstamped["stamped"]) == (date(2000, 1, 1), 5, 0, 0, 0)
