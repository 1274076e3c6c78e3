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
    assert cold > 3
    one_day, four_weeks = await search(1), await search(28)
    assert (one_day[0], four_weeks[0]) == (2, 2)
    assert four_weeks[1] > one_day[1] > 0

    # A closed day is master data: its trigger moves the revision, the cache is dropped.
    await factories.exception(point, TUESDAY, OpeningException.CLOSED)
    after_change, found = await search(1)
    assert after_change > 2 and found == 0
    assert await search(1) == (2, 0)


async def test_a_search_at_a_point_not_yet_cached_makes_three_statements(db, settings, statements):
    """Issue 12: a peak spread over many points runs the cold path; the point's master
    data comes in one statement, beside the revision and the live allocations."""
    region = await factories.region()
    topic = await factories.topic()
    points = [await factories.point(region, slug, hours=VEGHEL_HOURS) for slug in ("a", "b")]
    for n, point in enumerate(points):
        await factories.staff(point, ["pl"], hours=VEGHEL_HOURS, name=f"Consultant {n}")
    catalog, policy = Catalog(), Policy.from_settings(settings)
    counts = []
    for point in points:
        statements["n"] = 0
        _, found = await search_slots(
            catalog, policy, point_id=point, topic_id=topic, language="pl",
            first=TUESDAY, last=TUESDAY, now=NOW,
        )  # fmt: skip
        counts.append((statements["n"], len(found) > 0))
    assert counts[1] == (3, True)


async def test_the_point_cache_is_bounded_by_the_memory_it_holds(db, settings, statements):
    """Setups are weighed again at each use (memoised days make them grow) and the least
    recently used leave once the budget is spent; a count would either waste memory or
    leave most of 1,000 points cold."""
    region = await factories.region()
    topic = await factories.topic()
    points = [await factories.point(region, s, hours=VEGHEL_HOURS) for s in ("a", "b", "c")]
    for n, point in enumerate(points):
        await factories.staff(point, ["pl"], hours=VEGHEL_HOURS, name=f"Consultant {n}")
    policy = Policy.from_settings(settings)

    async def search(catalog: Catalog, point: int, days: int = 1) -> int:
        statements["n"] = 0
        await search_slots(
            catalog, policy, point_id=point, topic_id=topic, language="pl",
            first=TUESDAY, last=TUESDAY + timedelta(days=days - 1), now=NOW,
        )  # fmt: skip
        return statements["n"]

    roomy = Catalog()
    await search(roomy, points[0])
    light = roomy.held_bytes  # one point, as read: nothing memoised yet
    for point in points:
        await search(roomy, point)
    await search(roomy, points[0], days=28)
    await search(roomy, points[0])
    assert roomy.held_bytes > 3 * light  # memoised days weigh, four weeks of them most
    assert roomy.cached() == [points[1], points[2], points[0]]

    budget = 5 * light // 2
    tight = Catalog(max_bytes=budget)
    for point in points:
        await search(tight, point)
    assert tight.cached() == points[1:] and tight.held_bytes <= budget
    assert await search(tight, points[2]) == 2  # still warm
    assert await search(tight, points[0]) == 3  # evicted: read again, in one statement
    assert tight.cached() == [points[2], points[0]] and tight.held_bytes <= budget
