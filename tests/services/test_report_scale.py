"""What keeps a national report small (issue 12): the median lead time read exactly from the
hours that hold it, and each point's occupancy left out of reports of many points."""

from __future__ import annotations

from datetime import date

from booking.db.tables import MigrantContact
from booking.reports.figures import Cell
from booking.services import reports
from booking.services.point_setup import Catalog
from booking.services.reports import Period
from tests import factories
from tests.services.test_reports import PERIOD, Builder, dataset  # noqa: F401 (fixture)


async def test_the_median_lead_time_is_exact_within_its_hour(db):
    region = await factories.region()
    point, topic = await factories.point(region), await factories.topic()
    contact = (await MigrantContact.insert(MigrantContact(language="pl")))[0]["id"]
    b = Builder(contact)
    # Booked 30, 50, 100, 110 and 500 minutes ahead: the median is 100 minutes (0.07 days,
    # shown 0.1); its hour, from 60 to 119 minutes, would give 0.04 (0.0) at its start.
    for booked in ("09:30", "09:10", "08:20", "08:10", "01:40"):
        await b.appointment(point, topic, "pl", "online", "done", "2026-10-06T10:00",
                            f"2026-10-06T{booked}")  # fmt: skip
    report = await reports.build(Catalog(), region, Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert report.median_lead_days == 0.1
    assert [cell.count for _, cell in report.lead_times.rows] == [5, 0, 0, 0, 0]


async def test_reports_of_many_points_leave_out_each_point_s_occupancy(dataset, monkeypatch):  # noqa: F811
    monkeypatch.setattr(reports, "OCCUPANCY_POINTS", 2)
    national = await reports.build(Catalog(), None, PERIOD)  # three points
    assert national.occupancy == {}
    assert {key: cell.count for key, cell in national.by_point.rows}[dataset["veghel"]] == 22
    assert national.by_point.total == Cell(24)
    north = await reports.build(Catalog(), dataset["north"], PERIOD)  # two points
    assert set(north.occupancy) == {dataset["veghel"]}
