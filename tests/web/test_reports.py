"""The reports page and its CSV files, read as a coordinator, an admin and a consultant."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from booking.db.tables import Agency, Point
from booking.reports import sheets
from booking.services import report_turns
from booking.services.auth.accounts import create_account
from tests.services.test_reports import FIRST_NAME, PHONE, dataset  # noqa: F401 (fixture)
from tests.staff_login import PASSWORD, log_in

PERIOD = "from=2026-10-01&to=2026-11-30"
#: The coordinator of the first test reads Polish: "Total".
TOTAL_PL = "Razem"


class Tables(HTMLParser):
    """Each report section's table as rows of cell texts (header, body and total)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.section: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "section":
            self.section = dict(attrs)["id"]
            self.tables[self.section] = []
        elif tag == "tr" and self.section:
            self.tables[self.section].append([])
        elif tag in ("th", "td") and self.section:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cell is not None and self.section:
            self.tables[self.section][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "section":
            self.section = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
async def people(dataset):  # noqa: F811 (the fixture imported above)
    accounts = [
        ("coordinator@example.nl", "coordinator", dataset["north"], "pl"),
        ("west@example.nl", "coordinator", dataset["west"], "en"),
        ("consultant@example.nl", "consultant", dataset["north"], "en"),
        ("admin@example.nl", "admin", None, "en"),
    ]
    for email, role, region, language in accounts:
        await create_account(
            email=email, name=role.title(), password=PASSWORD, role=role, region_id=region,
            language=language,
        )  # fmt: skip
    return dataset


async def test_a_coordinator_sees_the_figures_of_their_own_region(client, people):
    assert (await log_in(client, "coordinator@example.nl")).status_code == 303
    assert 'href="/staff/reports"' in (await client.get("/staff/")).text
    page = await client.get(f"/staff/reports?{PERIOD}")
    assert page.status_code == 200
    shown = tables(page.text)
    # Languages in the reader's language (Polish), topics by their Polish names.
    assert shown["languages"][1:] == [
        ["Ukraiński", "7"], ["Rumuński", "6"], ["Polski", "5"], ["Bułgarski", "<5"],
        ["Litewski", "<5"], [TOTAL_PL, "22"],
    ]  # fmt: skip
    assert [row[0] for row in shown["topics"][1:-1]] == [
        "Wynagrodzenie", "Mieszkanie", "Registration in the municipality",
    ]  # fmt: skip
    assert shown["points"][1:] == [["Point veghel", "22"], ["Point uden", "0"], [TOTAL_PL, "22"]]
    assert "Point breda" not in page.text
    summary = dict(map(tuple, shown["summary"][1:]))
    assert summary["Niestawiennictwa (odsetek wizyt z odnotowaną obecnością)"] == "25%"
    assert summary["Odsetek wizyt wieczorem (od 17:00)"] == "50%"
    assert summary["Mediana liczby dni od umówienia do wizyty"] == "3.0"
    assert shown["months"][1:] == [
        ["2026-10", "8", "<5", "<5", "<5"],
        ["2026-11", "14", "57%", "<5", "<5"],
    ]
    assert shown["interpreter-hours"][1:3] == [["Rumuński", "6", "5.5"], ["Ukraiński", "6", "6.0"]]
    occupancy = shown[f"occupancy-{people['veghel']}"]
    assert occupancy[0][0] == "Dzień"
    assert occupancy[0][1] == "00:00" and occupancy[0][-1] == "19:00"
    assert occupancy[2][-1] == "7"  # Tuesday 19:00
    # Every table has its chart, drawn as SVG with a title; no script anywhere.
    assert page.text.count("<svg") == len(shown) - 2  # the summary and interpreters have none
    assert "<title>" in page.text and "<script" not in page.text
    west = await client.get(f"/staff/reports?{PERIOD}&region={people['west']}")
    assert west.status_code == 403
    own = await client.get(f"/staff/reports?{PERIOD}&region={people['north']}")
    assert own.status_code == 200


async def test_an_admin_sees_every_region_or_one(client, people):
    await log_in(client, "admin@example.nl")
    everything = tables((await client.get(f"/staff/reports?{PERIOD}")).text)
    assert ["Polish", "7"] in everything["languages"] and ["Total", "24"] in everything["languages"]
    assert ["Point breda", "<5"] in everything["points"]
    west = await client.get(f"/staff/reports?{PERIOD}&region={people['west']}")
    assert tables(west.text)["points"][1:] == [["Point breda", "<5"], ["Total", "<5"]]
    unknown = await client.get(f"/staff/reports?{PERIOD}&region=999999")
    assert unknown.status_code == 422 and "Please choose one of the regions." in unknown.text


async def test_consultants_may_not_read_reports(client, people):
    await log_in(client, "consultant@example.nl")
    assert (await client.get("/staff/reports")).status_code == 403
    assert (await client.get(f"/staff/reports/languages.csv?{PERIOD}")).status_code == 403
    assert 'href="/staff/reports"' not in (await client.get("/staff/")).text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "Please give the dates as year-month-day, for example 2026-12-01."),
        ("from=1%2F10%2F2026", "Please give the dates as year-month-day"),
        ("to=99999999-01-01", "Please give the dates as year-month-day"),
        ("from=0001-01-01", "Please give the dates as year-month-day"),
        ("from=2026-12-02&to=2026-12-01", "The end date must not come before the start date."),
        ("from=2025-01-01&to=2026-12-01", "A report covers at most 13 calendar months"),
    ],
)
async def test_a_bad_period_is_explained_not_a_crash(client, people, query, message):
    await log_in(client, "west@example.nl")
    page = await client.get(f"/staff/reports?{query}")
    assert page.status_code == 422 and message in page.text and 'role="alert"' in page.text
    assert "<svg" not in page.text and 'name="from"' in page.text  # the form, to try again
    download = await client.get(f"/staff/reports/languages.csv?{query}")
    assert download.status_code == 422 and message in download.text


async def test_every_csv_says_what_the_page_says(client, people):
    await log_in(client, "admin@example.nl")
    page = await client.get(f"/staff/reports?{PERIOD}&region={people['north']}")
    shown = tables(page.text)
    links = re.findall(r'href="(/staff/reports/([a-z0-9-]+)\.csv\?[^"]+)"', page.text)
    assert {slug for _, slug in links} == set(shown) and len(shown) == 14
    for link, slug in links:
        response = await client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, slug
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == (
            f'attachment; filename="loket-{slug}-2026-10-01-2026-11-30.csv"'
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows == shown[slug], slug
    assert (await client.get(f"/staff/reports/nothing.csv?{PERIOD}")).status_code == 404
    assert (await client.get(f"/staff/reports/languages?{PERIOD}")).status_code == 404


async def test_long_tables_show_their_first_rows_and_the_csv_holds_all(client, people, monkeypatch):
    """A national report has a row per point (1,000): the page shows the first PAGE_ROWS,
    largest first, and says how many more the download holds."""
    await log_in(client, "admin@example.nl")
    period = f"/staff/reports?{PERIOD}&region={people['north']}"
    whole = tables((await client.get(period)).text)
    long = max(whole, key=lambda slug: len(whole[slug]))
    total = whole[long][-1:] if whole[long][-1][0] == "Total" else []
    body = len(whole[long]) - 1 - len(total)  # without the header and the total
    assert body >= 3, whole[long]
    monkeypatch.setattr(sheets, "PAGE_ROWS", 2)
    page = await client.get(period)
    assert tables(page.text)[long] == [*whole[long][:3], *total]
    assert f"The page shows the first 2 rows; {body - 2} more row" in page.text
    rows = await client.get(f"/staff/reports/{long}.csv?{PERIOD}&region={people['north']}")
    assert list(csv.reader(io.StringIO(rows.content.decode("utf-8-sig")))) == whole[long]


async def test_no_personal_data_and_no_formulas_in_reports(client, people):
    await Point.update({Point.name: '=HYPERLINK("http://evil.example","x")'}).where(
        Point.id == people["uden"]
    )
    await Agency.update({Agency.name: "@SUM(1+1)"}).where(Agency.id == people["uwv"])
    await log_in(client, "admin@example.nl")
    page = await client.get(f"/staff/reports?{PERIOD}")
    files = {
        slug: (await client.get(link.replace("&amp;", "&"))).content.decode("utf-8-sig")
        for link, slug in re.findall(r'href="(/staff/reports/([a-z0-9-]+)\.csv\?[^"]+)"', page.text)
    }
    for text in [page.text, *files.values()]:
        for secret in (PHONE, PHONE[3:], FIRST_NAME, "BSN"):
            assert secret not in text
    read = {slug: list(csv.reader(io.StringIO(text))) for slug, text in files.items()}
    assert ['\'=HYPERLINK("http://evil.example","x")', "0"] in read["points"]
    assert ["'@SUM(1+1)", "<5"] in read["handover-agencies"]
    assert ["Handover", "-"] in read["channels"]  # a hidden figure is no formula: left as is


async def test_reports_beyond_the_turns_of_a_process_are_refused_with_retry_after(
    client, people, monkeypatch
):
    await log_in(client, "admin@example.nl")
    monkeypatch.setattr(report_turns, "WAIT_SECONDS", 0.05)
    async with report_turns.turn(), report_turns.turn():  # every turn taken
        busy = await client.get(f"/staff/reports?{PERIOD}")
        sheet = await client.get(f"/staff/reports/languages.csv?{PERIOD}")
    assert busy.status_code == sheet.status_code == 503
    assert busy.headers["Retry-After"] == str(report_turns.RETRY_AFTER_SECONDS)
    assert "Too many requests" in busy.text
    assert (await client.get(f"/staff/reports?{PERIOD}")).status_code == 200
