"""Slot search under the point's dated hours, over HTTP (issue 11: README promises changed
hours and points open on public holidays; neither had a test)."""

from datetime import date

import pytest

from booking.db.tables import OpeningException
from tests import factories
from tests.web.test_api import VEGHEL_HOURS, slots

CHRISTMAS = "2026-12-25"  # a Friday


async def world(closed_on_holidays: bool) -> dict:
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS, closed_on_holidays=closed_on_holidays)
    topic = await factories.topic()
    await factories.staff(point, ["pl"], hours=VEGHEL_HOURS, name="Agnieszka")
    return {"point": point, "topic": topic}


def times(found: list[dict]) -> list[str]:
    return [s["start"][11:16] for s in found]


@pytest.mark.parametrize(
    ("closed_on_holidays", "open_at_christmas"), [(True, False), (False, True)]
)
async def test_a_point_may_stay_open_on_public_holidays(
    client, db, closed_on_holidays, open_at_christmas
):
    point = await world(closed_on_holidays)
    christmas = times(await slots(client, point, first=CHRISTMAS, last=CHRISTMAS))
    assert bool(christmas) == open_at_christmas
    if open_at_christmas:  # Friday's own hours, 09:00-17:00, in 30-minute appointments
        assert (christmas[0], christmas[-1]) == ("09:00", "16:30")


async def test_changed_hours_replace_the_day_s_hours(client, db):
    point = await world(closed_on_holidays=True)
    thursday = "2026-12-03"
    assert times(await slots(client, point, first=thursday, last=thursday))[-1] == "20:30"
    await factories.exception(
        point["point"], date(2026, 12, 3), OpeningException.CHANGED, "12:00", "14:00"
    )
    assert times(await slots(client, point, first=thursday, last=thursday)) == [
        "12:00", "12:15", "12:30", "12:45", "13:00", "13:15", "13:30",
    ]  # fmt: skip
    friday = times(await slots(client, point, first="2026-12-04", last="2026-12-04"))
    assert (friday[0], friday[-1]) == ("09:00", "16:30")  # the next day keeps its own


async def test_changed_hours_open_a_point_on_a_holiday_it_keeps_closed(client, db):
    point = await world(closed_on_holidays=True)
    await factories.exception(
        point["point"], date(2026, 12, 25), OpeningException.CHANGED, "10:00", "12:00"
    )
    assert times(await slots(client, point, first=CHRISTMAS, last=CHRISTMAS)) == [
        "10:00", "10:15", "10:30", "10:45", "11:00", "11:15", "11:30",
    ]  # fmt: skip
