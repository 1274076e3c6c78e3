"""README: "A warm search makes two statements whatever the range ... Master data is cached
per process and dropped when the revision (bumped by database triggers) moves" (issue 11).

Every statement is counted where Loket reaches the database (Piccolo's engine and the raw
tuple fetch), around the real calls, as bench/run.py counts them for README's table.
"""

from datetime import date, timedelta

import pytest

from booking.db import rows
from booking.db.tables import OpeningException
from booking.db.transactions import engine
from booking.domain.policy import Policy
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from tests import factories
from tests.conftest import NOW
from tests.web.test_api import VEGHEL_HOURS

TUESDAY = date(2026, 12, 1)


@pytest.fixture
def statements(monkeypatch, database):
    """A counter of the SQL statements sent from here on."""
    counted = {"n": 0}
    engine_class = type(engine())
    run_querystring, fetch_tuples = engine_class.run_querystring, rows.fetch_tuples

    async def counting_run(self, querystring, in_pool: bool = False):
        counted["n"] += 1
        return await run_querystring(self, querystring, in_pool=in_pool)

    async def counting_fetch(sql, *args):
        counted["n"] += 1
        return await fetch_tuples(sql, *args)

    monkeypatch.setattr(engine_class, "run_querystring", counting_run)
    monkeypatch.setattr(rows, "fetch_tuples", counting_fetch)
    return counted


async def test_a_warm_search_makes_two_statements_whatever_the_range(db, settings, statements):
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS)
    topic = await factories.topic()
    await factories.staff(point, ["pl"], hours=VEGHEL_HOURS, name="Agnieszka")
    catalog, policy = Catalog(), Policy.from_settings(settings)

    async def search(days: int) -> tuple[int, int]:
        statements["n"] = 0
        _, found = await search_slots(
            catalog, policy, point_id=point, topic_id=topic, language="pl",
            first=TUESDAY, last=TUESDAY + timedelta(days=days - 1), now=NOW,
        )  # fmt: skip
        return statements["n"], len(found)

    cold, _ = await search(1)
    assert cold > 2
    one_day, four_weeks = await search(1), await search(28)
    assert (one_day[0], four_weeks[0]) == (2, 2)
    assert four_weeks[1] > one_day[1] > 0

    # A closed day is master data: its trigger moves the revision, the cache is dropped.
    await factories.exception(point, TUESDAY, OpeningException.CLOSED)
    after_change, found = await search(1)
    assert after_change > 2 and found == 0
    assert await search(1) == (2, 0)
