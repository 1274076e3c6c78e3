"""The region import on the coordinators' screens: a preview that names every problem and
writes nothing, an import in one go, an export that imports again as it was; limits and bad
files are a 4xx with a message in the coordinator's language."""

import re
from html import unescape
from pathlib import Path

import pytest

from booking.db.tables import AuditEntry, Point, Region, StaffMember
from booking.services.audit import trail
from booking.services.auth import accounts
from tests import factories
from tests.staff_login import PASSWORD, csrf, log_in

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "onboarding"
ROWS = re.compile(r'name="rows" value="([^"]*)"')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def coordinator(db, client):
    for slug in ("housing", "wages", "working-conditions"):
        await factories.topic(slug)
    region = await factories.region("zuid-limburg")
    await accounts.create_account(
        email="coordinator@example.nl", name="Coordinator", password=PASSWORD,
        role="coordinator", region_id=region, language="nl",
    )  # fmt: skip
    await log_in(client, "coordinator@example.nl")
    return await csrf(client, "/staff/admin/onboarding/")


async def upload(client, token, *files):
    return await client.post(
        "/staff/admin/onboarding/preview",
        data={"_csrf_token": token},
        files=[("sheets", f) for f in files],
    )


async def test_upload_preview_import_and_export_again(client, coordinator):
    xlsx = (SAMPLE / "sample-region.xlsx").read_bytes()
    shown = await upload(client, coordinator, ("sample-region.xlsx", xlsx, XLSX))
    assert shown.status_code == 200, shown.text
    assert "3 punten" in shown.text
    assert await Point.count() == 0
    rows = unescape(ROWS.search(shown.text).group(1))

    done = await client.post(
        "/staff/admin/onboarding/import", data={"_csrf_token": coordinator, "rows": rows}
    )
    assert done.status_code == 303, done.text
    assert await Point.count() == 3
    assert await StaffMember.count() == 3
    assert await AuditEntry.count().where(AuditEntry.action == trail.IMPORTED_REGION) == 1

    exported = await client.get("/staff/admin/onboarding/export.zip")
    assert exported.status_code == 200
    again = await upload(client, coordinator, ("region.zip", exported.content, "application/zip"))
    redo = await client.post(
        "/staff/admin/onboarding/import",
        data={"_csrf_token": coordinator, "rows": unescape(ROWS.search(again.text).group(1))},
    )
    assert redo.headers["location"].endswith("changes=0")
    xlsx_export = await client.get("/staff/admin/onboarding/export.xlsx")
    assert xlsx_export.headers["content-type"].startswith(XLSX)


async def test_a_file_with_problems_names_each_row_in_dutch_and_writes_nothing(client, coordinator):
    hours = (SAMPLE / "hours.csv").read_text().replace("heerlen,mon,13:00", "heerlen,mon,11:00")
    staff = (SAMPLE / "staff.csv").read_text().replace("uk ru", "uk klingon")
    files = [(f"{s}.csv", (SAMPLE / f"{s}.csv").read_bytes(), "text/csv") for s in ("points", "schedules", "agencies")]  # fmt: skip
    files += [("hours.csv", hours.encode(), "text/csv"), ("staff.csv", staff.encode(), "text/csv")]
    shown = await upload(client, coordinator, *files)
    assert shown.status_code == 422
    text = unescape(shown.text)
    assert "niets is opgeslagen" in text
    assert re.search(r"<td>hours</td><td>3</td><td>[^<]*overlappen", text)
    assert re.search(r"<td>staff</td><td>4</td><td>[^<]*klingon", text)
    assert 'name="rows"' not in text
    assert await Point.count() == 0


async def test_bad_and_too_large_files_are_refused_with_a_message(client, coordinator):
    bad = await upload(client, coordinator, ("notes.txt", b"hello", "text/plain"))
    assert bad.status_code == 422
    assert "kan niet worden gelezen" in unescape(bad.text)
    big = "slug,name,kind\n" + "x,y,physical\n" * 2_001
    large = await upload(client, coordinator, ("points.csv", big.encode(), "text/csv"))
    assert large.status_code == 422
    assert "te groot" in unescape(large.text)
    forged = await client.post(
        "/staff/admin/onboarding/import", data={"_csrf_token": coordinator, "rows": "[1]"}
    )
    assert forged.status_code == 422
    assert await Point.count() == 0


async def test_consultants_are_refused_and_an_admin_chooses_the_region(client, coordinator):
    west = await factories.region("west")
    await factories.point(west, slug="heerlen")
    for email, role, region in (("ioana@example.nl", "consultant", west),
                                ("admin@example.nl", "admin", None)):  # fmt: skip
        await accounts.create_account(
            email=email, name=role, password=PASSWORD, role=role, region_id=region,
            language="en",
        )  # fmt: skip
    await client.post("/staff/logout", data={"_csrf_token": coordinator})
    await log_in(client, "ioana@example.nl")
    for path in ("/staff/admin/onboarding/", "/staff/admin/onboarding/export.xlsx"):
        assert (await client.get(path)).status_code == 403, path

    await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
    await log_in(client, "admin@example.nl")
    token = await csrf(client, "/staff/admin/onboarding/")
    points = ("points.csv", (SAMPLE / "points.csv").read_bytes(), "text/csv")
    unnamed = await upload(client, token, points)
    assert unnamed.status_code == 422
    assert "Choose the region to import into." in unnamed.text
    south = (await Region.select(Region.id).where(Region.code == "zuid-limburg").first())["id"]
    shown = await client.post(
        "/staff/admin/onboarding/preview",
        data={"_csrf_token": token, "region": str(south)},
        files=[("sheets", points)],
    )
    assert shown.status_code == 422
    text = unescape(shown.text)
    assert "<td>points</td><td>2</td><td>“heerlen” already belongs to another region.</td>" in text
    assert await Point.count() == 1
