"""Importing the sample region into a fresh database, then booking in it; a sheet with
errors writes nothing; an export re-imports as a no-op (issue 16 item 4)."""

from dataclasses import replace
from pathlib import Path

import pytest

from booking.db.tables import (
    Agency,
    AuditEntry,
    OpeningHours,
    Point,
    StaffAccount,
    StaffMember,
    StaffSchedule,
    Topic,
)
from booking.domain.policy import Policy
from booking.services import appointments
from booking.services.appointments import BookingRequest
from booking.services.audit import trail
from booking.services.onboarding.files import read_upload, write_xlsx, write_zip
from booking.services.onboarding.sheets import COLUMNS, tables_of
from booking.services.onboarding.store import export_plan, import_plan, import_tables, preview
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from booking.settings import get_settings
from tests import factories
from tests.conftest import NOW

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "onboarding"


def sample_tables():
    return read_upload([("sample-region.xlsx", (SAMPLE / "sample-region.xlsx").read_bytes())])


@pytest.fixture
async def region(db):
    """A fresh database with the national topics and an empty new region's coordinator."""
    for slug in ("housing", "wages", "working-conditions"):
        await factories.topic(slug)
    region_id = await factories.region("zuid-limburg")
    coordinator = StaffAccount(
        email="coordinator@zuid-limburg.example",
        name="Coordinator",
        password_hash="-",
        role=StaffAccount.COORDINATOR,
        region=region_id,
    )
    return region_id, (await StaffAccount.insert(coordinator))[0]["id"]


async def topic_id(slug):
    return (await Topic.select(Topic.id).where(Topic.slug == slug).first())["id"]


async def test_the_sample_files_say_the_same():
    csvs = read_upload([(f"{s}.csv", (SAMPLE / f"{s}.csv").read_bytes()) for s in COLUMNS])
    zipped = read_upload([("sample-region.zip", (SAMPLE / "sample-region.zip").read_bytes())])
    assert sample_tables() == csvs == zipped


async def test_the_sample_region_imports_and_takes_a_booking(region):
    region_id, coordinator = region
    plan, problems = await preview(sample_tables(), region_id)
    assert problems == []
    changes = await import_plan(plan, region_id, coordinator, NOW)
    assert changes > 0
    assert await Point.count().where(Point.region == region_id) == 3
    assert await OpeningHours.count() == 9
    assert await StaffMember.count() == 3
    assert await StaffSchedule.count() == 7
    assert await Agency.count() == 2
    assert await AuditEntry.count().where(AuditEntry.action == trail.IMPORTED_REGION) == 1

    point = (await Point.select(Point.id).where(Point.slug == "maastricht").first())["id"]
    topic = await topic_id("housing")
    catalog, policy = Catalog(), Policy.from_settings(get_settings())
    _, slots = await search_slots(
        catalog,
        policy,
        point_id=point,
        topic_id=topic,
        language="pl",
        first=NOW.date(),
        last=NOW.date(),
        now=NOW,
    )
    assert slots, "Anna Kowalska works in Maastricht on Tuesdays"
    booked = await appointments.book_confirmed(
        catalog,
        policy,
        BookingRequest(point, topic, "pl", slots[0].start, "+48601234567"),
        now=NOW,
    )
    assert booked.status == "confirmed"


async def test_a_sheet_with_errors_writes_nothing_and_names_each_row(region):
    region_id, coordinator = region
    tables = {k: [dict(r) for r in v] for k, v in sample_tables().items()}
    tables["hours"][1]["opens"] = "11:00"  # overlaps 09:00-12:00 on Monday, row 3
    tables["hours"][4]["closes"] = "25:00"  # row 6
    tables["staff"][2]["languages"] = "uk xx"  # row 4
    tables["schedules"][0]["point"] = "venlo"  # row 2
    tables["points"][2]["slug"] = "heerlen"  # row 4
    tables["agencies"][0]["email"] = "not-an-address"  # row 2
    problems, changes = await import_tables(tables, region_id, coordinator, NOW)
    assert changes == 0
    assert {(p.sheet, p.row) for p in problems} >= {
        ("hours", 3),
        ("hours", 6),
        ("staff", 4),
        ("schedules", 2),
        ("points", 4),
        ("agencies", 2),
    }
    assert all(p.text() for p in problems)
    assert await Point.count() == 0
    assert await StaffMember.count() == 0
    assert await Agency.count() == 0
    assert await AuditEntry.count() == 0


async def test_export_then_import_changes_nothing(region):
    region_id, who = region
    plan, _ = await preview(sample_tables(), region_id)
    await import_plan(plan, region_id, who, NOW)
    exported = await export_plan(region_id)
    for data, name in (
        (write_xlsx(tables_of(exported)), "r.xlsx"),
        (write_zip(tables_of(exported)), "r.zip"),
    ):
        again, problems = await preview(read_upload([(name, data)]), region_id)
        assert problems == []
        assert await import_plan(again, region_id, who, NOW) == 0
    assert await export_plan(region_id) == exported


async def test_a_write_that_fails_half_way_leaves_nothing_behind(region):
    region_id, coordinator = region
    plan, _ = await preview(sample_tables(), region_id)
    # Past the checks (as if the topic went away meanwhile): the agencies come last.
    broken = replace(plan, agencies=(replace(plan.agencies[0], topics=("gone",)),))
    with pytest.raises(KeyError):
        await import_plan(broken, region_id, coordinator, NOW)
    assert await Point.count() == 0
    assert await StaffMember.count() == 0
    assert await OpeningHours.count() == 0
    assert await AuditEntry.count() == 0
