"""Regions side by side (issue 12): admins and coordinators see every region's aggregate
figures, suppressed like the rest; consultants see none. The data set is the report's
(tests/services/test_reports.py): Noordoost-Brabant 22 appointments standing, West 2."""

from __future__ import annotations

import csv
import io

from tests.services.test_reports import dataset  # noqa: F401 (fixture)
from tests.staff_login import log_in
from tests.web.test_reports import PERIOD, people, tables  # noqa: F401 (fixture)

#: Region, appointments, evening or weekend, no-show rate, handovers. West's 2 are hidden,
#: and so is the north's 22 beside the published total of 24 (else 24 - 22 = 2); West's
#: shares rest on 2 appointments and are hidden too. Rows: shown ones first, then hidden
#: ones in id order, so their place says nothing.
EXPECTED = [
    ["Region", "Appointments", "Evening or weekend", "No-show rate", "Handovers"],
    ["Noordoost-Brabant", "-", "55%", "25%", "7"],
    ["West", "<5", "-", "-", "0"],
    ["Total", "24", "", "", "7"],
]


async def test_an_admin_compares_every_region_and_downloads_it(client, people):  # noqa: F811
    await log_in(client, "admin@example.nl")
    page = await client.get(f"/staff/reports/regions?{PERIOD}")
    assert page.status_code == 200
    assert tables(page.text)["regions"] == EXPECTED
    assert (
        f'href="/staff/reports/regions?{PERIOD.replace("&", "&amp;")}"'
        in (await client.get(f"/staff/reports?{PERIOD}")).text
    )
    download = await client.get(f"/staff/reports/regions.csv?{PERIOD}")
    assert download.status_code == 200
    assert list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")))) == EXPECTED


async def test_a_coordinator_sees_every_region_too_in_their_language(client, people):  # noqa: F811
    await log_in(client, "coordinator@example.nl")  # reads Polish
    rows = tables((await client.get(f"/staff/reports/regions?{PERIOD}")).text)["regions"]
    assert [row[1:] for row in rows[1:]] == [row[1:] for row in EXPECTED[1:]]
    assert rows[0][1] == "Wizyty" and rows[-1][0] == "Razem"


async def test_consultants_may_not_compare_regions(client, people):  # noqa: F811
    await log_in(client, "consultant@example.nl")
    assert (await client.get(f"/staff/reports/regions?{PERIOD}")).status_code == 403
    assert (await client.get(f"/staff/reports/regions.csv?{PERIOD}")).status_code == 403


async def test_a_bad_period_on_the_comparison_is_explained(client, people):  # noqa: F811
    await log_in(client, "west@example.nl")
    page = await client.get("/staff/reports/regions?from=2026-12-02&to=2026-12-01")
    assert page.status_code == 422 and "The end date must not come before" in page.text
    download = await client.get("/staff/reports/regions.csv?from=2026-13-01")
    assert download.status_code == 422
