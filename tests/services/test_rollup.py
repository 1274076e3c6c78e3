"""The national report's daily roll-up (issue 12) against the live count: random data sets
give the same figures from the roll-up as from the live tables, a change to an old
appointment counts at once and after the worker's next run, and a run cut off mid-way is
finished by the next one."""

from __future__ import annotations

import asyncio
import random
from datetime import date, timedelta

import pytest

from booking.db.rows import fetch_tuples
from booking.db.tables import Allocation, Appointment, Handover, MigrantContact
from booking.services import reports
from booking.services.point_setup import Catalog
from booking.services.report_facts import read_facts
from booking.services.reports import Names, Period, figures_of
from booking.services.rollup.months import other_days, whole_months
from booking.services.rollup.refresh import refresh
from tests import factories
from tests.services.test_reports import Builder

PERIOD = Period(date(2026, 10, 1), date(2026, 11, 30))
#: The tests' now is 1 December: the worker rolls up the days before 30 November.
TODAY = date(2026, 12, 1)
STATUSES = ["done"] * 6 + ["no_show", "arrived", "confirmed", "cancelled", "cancelled", "held"]


async def random_year(rng: random.Random, count: int) -> list[int]:
    """``count`` appointments over October and November (and a few in December) at three
    points of two regions, with handovers and interpreters; returns their ids."""
    north, west = await factories.region("noordoost-brabant"), await factories.region("west")
    points = [await factories.point(north), await factories.point(north, slug="uden")]
    points.append(await factories.point(west, slug="breda"))
    topics = [await factories.topic(), await factories.topic("work")]
    agency = await factories.agency(north)
    contact = (await MigrantContact.insert(MigrantContact(language="pl")))[0]["id"]
    b, ids = Builder(contact), []
    for _ in range(count):
        start = PERIOD.first + timedelta(days=rng.randrange(66), hours=rng.randrange(6, 21))
        start += timedelta(minutes=rng.choice((0, 15, 30, 45)))
        booked = start - timedelta(minutes=rng.choice((5, 90, 600, 1440, 3000, 20000)))
        booked -= timedelta(minutes=rng.randrange(1440))
        status, point, topic = rng.choice(STATUSES), rng.choice(points), rng.choice(topics)
        text = [t.strftime("%Y-%m-%dT%H:%M") for t in (start, booked)]
        if rng.random() < 0.15 and status != "held":
            outcome = rng.choice((None, "attended", "no_show", "referred"))
            ids.append(await b.handover(point, topic, agency, status, outcome, *text))
            continue
        held = start if status in ("held", "cancelled") and rng.random() < 0.5 else None
        ids.append(
            await b.appointment(
                point, topic, rng.choice(("pl", "ro", "uk", "bg")),
                rng.choice(("online", "phone", "walk_in")), status, *text,
                minutes=rng.choice((15, 30, 45, 60, 90)), held_until=held,
                interpreter=rng.random() < 0.2, live=rng.random() < 0.9,
            )
        )  # fmt: skip
    return ids


async def figures(*, rolled: bool, hourly: bool = True) -> reports.Report:
    points = await reports.points_in(Catalog(), None)
    facts = await read_facts(None, PERIOD.first, PERIOD.last, hourly=hourly, rolled=rolled)
    return figures_of(facts, None, PERIOD, Names(points, {}, {}))


async def same_figures() -> reports.Report:
    """The national report from the roll-up, asserted equal to the live count."""
    for hourly in (True, False):
        assert await figures(rolled=True, hourly=hourly) == await figures(
            rolled=False, hourly=hourly
        )
    return await figures(rolled=True)


async def dirty_dates() -> set[str]:
    return {str(d) for (d,) in await fetch_tuples("SELECT DISTINCT local_date FROM report_dirty")}


async def rolled_rows() -> int:
    return (await fetch_tuples("SELECT COUNT(*) FROM report_day"))[0][0]


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_roll_up_gives_the_live_figures(db, seed):
    await random_year(random.Random(seed), 160)
    assert await rolled_rows() == 0  # nothing rolled yet: every day is counted live
    before = await same_figures()
    assert await refresh(TODAY) > 40
    assert await rolled_rows() > 0
    assert (await fetch_tuples("SELECT COUNT(*) FROM report_month"))[0][0] > 0  # October
    # Only the last day of the period (and December) is still counted live.
    assert {d for d in await dirty_dates() if d <= str(PERIOD.last)} == {str(PERIOD.last)}
    assert await same_figures() == before
    assert await refresh(TODAY) == 0  # nothing changed since


async def test_a_change_to_an_old_appointment_counts_at_once_and_after_the_next_run(db):
    ids = await random_year(random.Random(7), 120)
    await refresh(TODAY)
    before = await same_figures()
    rows = await Appointment.select(Appointment.id, Appointment.local_date).where(
        Appointment.id.is_in(ids) & Appointment.status.is_in(["done", "confirmed"])
    )
    marked, moved = rows[0], rows[1]
    await Appointment.update({Appointment.status: "no_show"}).where(Appointment.id == marked["id"])
    await Appointment.update({Appointment.status: "cancelled"}).where(Appointment.id == moved["id"])
    await Handover.update({Handover.outcome: "referred"}).where(Handover.outcome.is_null())
    await Allocation.update({Allocation.live: False}).where(Allocation.live.eq(True))
    assert {str(marked["local_date"]), str(moved["local_date"])} <= await dirty_dates()
    changed = await same_figures()  # the dirty days are counted live meanwhile
    assert changed != before
    assert changed.no_shows.part == before.no_shows.part + 1
    assert await refresh(TODAY) > 0
    assert {d for d in await dirty_dates() if d < str(PERIOD.last)} == set()
    assert await same_figures() == changed


async def test_a_run_cut_off_mid_way_is_finished_by_the_next(db):
    await random_year(random.Random(11), 200)
    before = await same_figures()
    run = asyncio.create_task(refresh(TODAY, days=1))  # a transaction per day
    for _ in range(4000):  # until the first day is in
        if await rolled_rows():
            break
        await asyncio.sleep(0.005)
    run.cancel()  # in the middle of some day's transaction, or between two
    with pytest.raises(asyncio.CancelledError):
        await run
    left = {d for d in await dirty_dates() if d < str(PERIOD.last)}
    assert left  # cut off before the end
    assert await same_figures() == before  # rolled days from the roll-up, the rest live
    assert await refresh(TODAY) == len(left)
    assert await same_figures() == before


def test_whole_months_are_those_inside_the_period_without_a_dirty_day_and_the_rest_days():
    assert whole_months(date(2026, 10, 1), date(2026, 10, 31), []) == [date(2026, 10, 1)]
    assert whole_months(date(2026, 10, 2), date(2027, 1, 30), [date(2026, 11, 5)]) == [
        date(2026, 12, 1)
    ]
    assert whole_months(date(2026, 12, 1), date(2026, 12, 30), []) == []
    assert other_days(date(2026, 9, 20), date(2026, 12, 3), [date(2026, 10, 1)]) == [
        (date(2026, 9, 20), date(2026, 9, 30)),
        (date(2026, 11, 1), date(2026, 12, 3)),
    ]
