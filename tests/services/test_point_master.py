"""A point's master data read in one statement (issue 12 item 2) comes back as Piccolo's
own selects would give it, on both engines: the values a slot search computes with."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from piccolo.querystring import QueryString

from booking.db import rows
from booking.db.tables import MobileVisit, OpeningException, Point, StaffAbsence, StaffMember
from booking.db.transactions import engine
from booking.services.point_master import POSTGRES_SQL, SQLITE_SQL, read_point_master
from booking.services.point_setup import load_point_setup
from tests import factories

TUESDAY = date(2026, 12, 1)
WEEK = (TUESDAY, date(2026, 12, 7))


async def test_every_table_of_a_point_arrives_with_its_types(db) -> None:
    region = await factories.region()
    point = await factories.point(region, hours=(((1,), "09:00", "17:00"),))
    other = await factories.point(region, "elsewhere")
    await factories.exception(point, TUESDAY, OpeningException.CHANGED, "10:00", "12:00")
    await factories.exception(point, date(2027, 1, 5), OpeningException.CLOSED)  # outside
    await MobileVisit.insert(
        MobileVisit(point=point, day=date(2026, 12, 3), opens=time(15), closes=time(20),
                    place="Woonlocatie Boekel", address="Kerkstraat 40")
    )  # fmt: skip
    speaker = await factories.staff(
        point, ["pl", "ro"], StaffMember.INTERPRETER, hours=(((1,), "09:00", "12:00"),),
        modes=["phone"],
    )  # fmt: skip
    await factories.staff(other, ["bg"])  # another point's consultant
    absent = (datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 1, 10, tzinfo=UTC))
    await StaffAbsence.insert(StaffAbsence(staff=speaker, starts_at=absent[0], ends_at=absent[1]))
    await StaffAbsence.insert(
        StaffAbsence(staff=speaker, starts_at=datetime(2027, 2, 1, tzinfo=UTC),
                     ends_at=datetime(2027, 2, 2, tzinfo=UTC))
    )  # fmt: skip

    master = await read_point_master(point, *WEEK)

    assert master is not None
    assert (master.point["id"], master.point["closed_on_holidays"]) == (point, True)
    assert master.point["description"] == {"nl": "Informatiepunt", "en": "Information point"}
    assert [(w["weekday"], w["opens"], w["closes"]) for w in master.weekly] == [
        (1, time(9), time(17))
    ]
    assert [(e["day"], e["kind"], e["opens"]) for e in master.exceptions] == [
        (TUESDAY, "changed", time(10))
    ]
    assert [(v["day"], v["closes"], v["place"]) for v in master.visits] == [
        (date(2026, 12, 3), time(20), "Woonlocatie Boekel")
    ]
    (shift,) = master.schedules
    assert (shift["staff"], shift["staff_kind"], shift["staff_languages"], shift["staff_modes"]) == (
        speaker, StaffMember.INTERPRETER, ["pl", "ro"], ["phone"]
    )  # fmt: skip
    assert (shift["starts"], shift["ends"], shift["valid_from"]) == (time(9), time(12), None)
    assert [(a["starts_at"], a["ends_at"]) for a in master.absences] == [absent]
    assert master.staff_ids == [speaker]

    setup = await load_point_setup(point, *WEEK)
    assert setup is not None and [p.id for p in setup.people] == [speaker]
    assert setup.people[0].languages == frozenset({"pl", "ro"})


async def test_an_inactive_or_missing_point_has_no_master_data(db) -> None:
    region = await factories.region()
    point = await factories.point(region)
    await Point.update({Point.active: False}).where(Point.id == point)
    assert await read_point_master(point, *WEEK) is None
    assert await read_point_master(point + 1000, *WEEK) is None


async def test_a_point_s_master_data_is_read_by_index_not_by_scanning_the_country(db) -> None:
    """EXPLAIN of the cold-point statement (issue 12, found at the national size): every
    table it reads for one point is searched by an index. PostgreSQL is told to avoid
    sequential scans, so it takes an index whenever one exists; SQLite does anyway."""
    region = await factories.region()
    point = await factories.point(region)
    await factories.staff(point, ["pl"])
    plan = await _plan(point)
    for table in (
        "staff_point", "staff_schedule", "opening_hours", "opening_exception",
        "mobile_visit", "staff_absence",
    ):  # fmt: skip
        assert not re.search(rf"(Seq Scan on|SCAN) {table}\b", plan), plan


async def _plan(point: int) -> str:
    args = (point,) * 5 + (*WEEK, point, *WEEK, point)
    args += (datetime(2026, 12, 8, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    if engine().engine_type == "postgres":
        query, values = QueryString(POSTGRES_SQL, *args).compile_string(engine_type="postgres")
        async with engine().pool.acquire() as connection, connection.transaction():
            await connection.execute("SET LOCAL enable_seqscan = off")
            return "\n".join(r[0] for r in await connection.fetch(f"EXPLAIN {query}", *values))
    return "\n".join(
        str(r[-1]) for r in await rows.fetch_tuples(f"EXPLAIN QUERY PLAN {SQLITE_SQL}", *args)
    )
