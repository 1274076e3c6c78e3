"""The week calendar's service reads a week in a fixed number of statements, whatever is
booked: the revision and one join of allocations when the point is cached, plus the point's
master data when it is not (counted as tests/services/test_warm_search.py counts them)."""

from datetime import date, timedelta

from booking.db.tables import Allocation, Appointment
from booking.domain.policy import Policy
from booking.services.point_setup import Catalog
from booking.services.week import load_week
from tests import factories
from tests.conftest import NOW
from tests.services.test_warm_search import statements  # noqa: F401 (the fixture)
from tests.web.test_api import VEGHEL_HOURS

MONDAY = date(2026, 11, 30)


async def test_a_week_is_two_statements_warm_and_three_cold(db, settings, statements):  # noqa: F811
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS)
    topic = await factories.topic()
    people = [
        await factories.staff(point, ["pl"], hours=VEGHEL_HOURS, name=f"Consultant {n}")
        for n in range(3)
    ]
    for day in range(5):
        for n, staff in enumerate(people):
            start = NOW + timedelta(days=day, hours=n + 1)
            [row] = await Appointment.insert(
                Appointment(
                    point=point, topic=topic, language="pl", channel="phone", status="confirmed",
                    starts_at=start, ends_at=start + timedelta(minutes=30),
                )
            )  # fmt: skip
            await Allocation.insert(
                Allocation(
                    appointment=row["id"], resource=f"staff:{staff}", role="consultant",
                    staff=staff, starts_at=start, ends_at=start + timedelta(minutes=30),
                )
            )  # fmt: skip
    catalog, policy = Catalog(), Policy.from_settings(settings)

    async def week(monday: date) -> tuple[int, int]:
        statements["n"] = 0
        loaded = await load_week(catalog, policy, point, monday, NOW)
        return statements["n"], len(loaded.items)

    await week(MONDAY)  # warms the catalog (topics, the point's setup)
    assert await week(MONDAY) == (2, 15)
    # A week long past is outside the cached range: its master data is read once more.
    assert await week(MONDAY - timedelta(weeks=10)) == (3, 0)
