"""The onboarding sheets, pure: every problem named by sheet and row, and any plan written
out as XLSX or CSV reads back as the same plan (hypothesis)."""

import io
from datetime import time

from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from booking.domain.languages import SERVICE_LANGUAGES
from booking.services.onboarding.files import read_upload, write_xlsx, write_zip
from booking.services.onboarding.sheets import (
    AgencyRow,
    HoursRow,
    Plan,
    PointRow,
    ScheduleRow,
    StaffRow,
    check,
    tables_of,
)

TOPICS = frozenset({"housing", "wages"})
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,5})?", fullmatch=True)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("C", "Z")), min_size=1, max_size=30
)
optional = st.one_of(st.just(""), texts)


@st.composite
def spans(draw):
    """A few non-overlapping spans of one day, in quarter hours."""
    ends = sorted(draw(st.sets(st.integers(0, 95), min_size=2, max_size=6)))
    pairs = list(zip(ends[::2], ends[1::2], strict=False))
    return [(time(a // 4, a % 4 * 15), time(b // 4, b % 4 * 15)) for a, b in pairs]


@st.composite
def plans(draw):
    point_slugs = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    points = tuple(
        PointRow(s, draw(texts), draw(st.sampled_from(("physical", "phone"))), draw(optional),
                 draw(optional), draw(st.sampled_from(("Europe/Amsterdam", "Europe/Warsaw"))))
        for s in point_slugs
    )  # fmt: skip
    hours = tuple(
        HoursRow(p, day, a, b)
        for p in point_slugs
        for day in draw(st.sets(st.integers(0, 6), max_size=3))
        for a, b in draw(spans())
    )
    emails = draw(st.lists(st.from_regex(r"[a-z]{1,6}@[a-z]{1,6}\.nl", fullmatch=True),
                           max_size=3, unique=True))  # fmt: skip
    staff = tuple(
        StaffRow(e, draw(texts), draw(st.sampled_from(("consultant", "interpreter"))),
                 tuple(draw(st.lists(st.sampled_from(SERVICE_LANGUAGES), min_size=1, max_size=3,
                                     unique=True))),
                 tuple(draw(st.lists(st.sampled_from(point_slugs), min_size=1, unique=True))))
        for e in emails
    )  # fmt: skip
    schedules = tuple(
        ScheduleRow(s.email, s.points[0], day, a, b)
        for s in staff
        for day in draw(st.sets(st.integers(0, 6), max_size=2))
        for a, b in draw(spans())
    )
    agencies = tuple(
        AgencyRow(s, draw(texts), draw(optional), "", draw(optional),
                  tuple(draw(st.lists(st.sampled_from(sorted(TOPICS)), unique=True))))
        for s in draw(st.lists(slugs, max_size=2, unique=True))
    )  # fmt: skip
    return Plan(points, hours, staff, schedules, agencies)


def strip(plan: Plan) -> Plan:
    """Texts as a spreadsheet keeps them: without surrounding blanks."""
    return check(tables_of(plan), TOPICS)[0]


FORMULA = Plan(points=(PointRow("a", "=1+1", "physical", "@x", "-2", "Europe/Amsterdam"),))


@settings(max_examples=40, deadline=None)
@given(plans())
@example(FORMULA)
def test_any_plan_written_as_xlsx_or_csv_reads_back_the_same(plan):
    tables = tables_of(plan)
    again, problems = check(tables, TOPICS)
    assert problems == []
    assert again == strip(plan)
    for name, data in (("r.xlsx", write_xlsx(tables)), ("r.zip", write_zip(tables))):
        assert check(read_upload([(name, data)]), TOPICS) == (again, [])


def rows(**sheets):
    return {name: [dict(zip(r[0], v, strict=True)) for v in r[1:]] for name, r in sheets.items()}


def test_each_problem_is_named_by_sheet_row_and_what_is_wrong():
    tables = rows(
        points=[("slug", "name", "kind", "timezone"),
                ("venlo", "Venlo", "physical", "Europe/Amsterdam"),
                ("venlo", "Venlo 2", "castle", "Mars/Olympus")],
        hours=[("point", "weekday", "opens", "closes"),
               ("venlo", "mon", "09:00", "12:00"),
               ("venlo", "mon", "11:00", "13:00"),
               ("venlo", "tue", "18:00", "24:00"),
               ("venlo", "tue", "18:00", "17:00"),
               ("roermond", "funday", "09:00", "10:00")],
        staff=[("email", "name", "kind", "languages", "points"),
               ("a@b.nl", "A", "consultant", "pl xx", "venlo"),
               ("not-an-address", "", "consultant", "", "roermond")],
        schedules=[("staff", "point", "weekday", "starts", "ends"),
                   ("c@d.nl", "venlo", "mon", "09:00", "10:00")],
        agencies=[("slug", "name", "topics"), ("ind", "IND", "asylum")],
        extras=[("x",), ("y",)],
    )  # fmt: skip
    _, problems = check(tables, TOPICS)
    found = {(p.sheet, p.row, p.text()) for p in problems}
    expected = {
        ("points", 3, "“venlo” appears twice in “slug”."),
        ("points", 3, "“castle” in “kind” is not one of: physical, mobile, phone, video."),
        ("points", 3, "“Mars/Olympus” is not a known time zone."),
        ("hours", 3, "These hours overlap other hours on the same day."),
        ("hours", 4, "“24:00” in “closes” is not a time of day (HH:MM)."),
        ("hours", 5, "“closes” must be later than “opens”."),
        ("hours", 6, "The point “roermond” is not on the sheet “points”."),
        ("staff", 2, "“xx” is not a language Loket knows."),
        ("staff", 3, "“not-an-address” is not valid in “email”."),
        ("staff", 3, "The column “name” is empty."),
        ("staff", 3, "The column “languages” is empty."),
        ("schedules", 2, "“c@d.nl” is not on the sheet “staff”."),
        ("agencies", 2, "The topic “asylum” does not exist."),
    }
    assert expected <= found, found - expected
    assert any(p.sheet == "extras" for p in problems)
    assert not any(p.sheet == "hours" and p.row == 2 for p in problems)


def test_times_and_numbers_typed_in_a_spreadsheet_read_as_written():
    book = Workbook()
    sheet = book.active
    sheet.title = "Hours"
    sheet.append(["Point", "Weekday", "Opens", "Closes"])
    sheet.append(["venlo", "Mon", time(9, 0), time(17, 30)])
    out = io.BytesIO()
    book.save(out)
    tables = read_upload([("typed.xlsx", out.getvalue())])
    assert tables == {
        "hours": [{"point": "venlo", "weekday": "Mon", "opens": "09:00", "closes": "17:30"}]
    }
