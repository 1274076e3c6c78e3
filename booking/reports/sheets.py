"""The report as sheets: each figure a titled table in the reader's language, with its
chart. The page and the CSV downloads are both made from these, so a download always says
what the page says, cell for cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names
from markupsafe import Markup

from booking.domain.errors import N_
from booking.i18n import current_language, gettext, names_in
from booking.reports import charts
from booking.reports.figures import EVENING_HOUR, Cell, Table

if TYPE_CHECKING:
    from booking.services.reports import RegionReport, Report

#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Cells the report writes itself that start with "-" and are no formula.
PLAIN = re.compile(r"-|-?\d+(?:\.\d+)?%?")
LEAD_LABELS = {
    "same day": N_("Same day"),
    "1-2 days": N_("1 to 2 days"),
    "3-7 days": N_("3 to 7 days"),
    "8-14 days": N_("8 to 14 days"),
    "15+ days": N_("15 days or more"),
}
#: Rows a sheet shows on the page: a national report has a row per point (1,000), which
#: nobody reads on a page and which made it 450 KB to render on the web worker.
PAGE_ROWS = 50
WAIT_LABELS = {
    "0-9 min": N_("Under 10 minutes"),
    "10-19 min": N_("10 to 19 minutes"),
    "20-29 min": N_("20 to 29 minutes"),
    "30-59 min": N_("30 to 59 minutes"),
    "60+ min": N_("An hour or more"),
}


@dataclass(frozen=True, slots=True)
class Sheet:
    """One published table: what the page shows and its CSV file holds, cell for cell."""

    slug: str
    title: str
    #: What the figure counts, in one sentence.
    note: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    total: tuple[str, ...] | None = None
    chart: Markup | None = None

    @property
    def page_rows(self) -> list[tuple[str, ...]]:
        """The rows the page shows: the first PAGE_ROWS (largest first where the sheet
        counts by key); the CSV download holds them all."""
        return self.rows[:PAGE_ROWS]

    @property
    def left_off(self) -> int:
        """How many rows only the CSV download holds."""
        return max(len(self.rows) - PAGE_ROWS, 0)


def sheets(report: Report, channels: Mapping[str, str], outcomes: Mapping[str, str]) -> list[Sheet]:
    """The report's tables in the reader's language, in the order the page shows them.

    Args:
        channels: names of the channels, and ``outcomes`` of handover outcomes (with the
            service's NOT_RECORDED), both already in the reader's language.
    """
    language = current_language.get()
    appointments = gettext("Appointments")
    return [
        _summary(report),
        _counts(
            "topics",
            gettext("Appointments by topic"),
            gettext("Appointments booked and not cancelled, by topic."),
            gettext("Topic"),
            appointments,
            report.by_topic,
            lambda key: names_in(report.topics.get(key), language) or f"#{key}",
        ),
        _counts(
            "languages",
            gettext("Appointments by language"),
            gettext("Appointments booked and not cancelled, by the migrant's language."),
            gettext("Language"),
            appointments,
            report.by_language,
            lambda key: _language(key, language),
        ),
        _counts(
            "points",
            gettext("Appointments by point"),
            gettext("Appointments booked and not cancelled, by information point."),
            gettext("Point"),
            appointments,
            report.by_point,
            lambda key: report.points[key].name,
        ),
        _counts(
            "channels",
            gettext("Appointments by channel"),
            gettext("How the appointment was made: online, by phone, walk-in or handover."),
            gettext("Channel"),
            appointments,
            report.by_channel,
            lambda key: channels.get(key, key),
        ),
        _trend(
            "weeks",
            gettext("Appointments by week"),
            gettext("Appointments booked and not cancelled, by ISO week of their local date."),
            gettext("Week"),
            report.by_week,
        ),
        _months(report),
        _counts(
            "lead-times",
            gettext("Time from booking to appointment"),
            gettext("Calendar days between the day of booking and the day of the appointment."),
            gettext("Booked ahead"),
            appointments,
            report.lead_times,
            lambda key: gettext(LEAD_LABELS[key]),
        ),
        _counts(
            "walk-in-waits",
            gettext("Waiting time of walk-ins"),
            gettext(
                "Walk-ins served from the queue, by the time from taking a number to being called."
            ),
            gettext("Waited"),
            gettext("Walk-ins"),
            report.walk_in_waits,
            lambda key: gettext(WAIT_LABELS[key]),
        ),
        _counts(
            "handover-agencies",
            gettext("Warm handovers by agency"),
            gettext("Handovers booked and not cancelled, by partner agency."),
            gettext("Agency"),
            gettext("Handovers"),
            report.handovers_by_agency,
            lambda key: report.agencies.get(key, f"#{key}"),
        ),
        _counts(
            "handover-outcomes",
            gettext("Warm handovers by outcome"),
            gettext("Handovers booked and not cancelled, by what the consultant recorded."),
            gettext("Outcome"),
            gettext("Handovers"),
            report.handovers_by_outcome,
            lambda key: outcomes.get(key, key),
        ),
        _interpreting(report, language),
        _waitlist(report),
        *(_occupancy(report, point_id, grid) for point_id, grid in report.occupancy.items()),
    ]


WAITLIST_LABELS = {
    "waiting": N_("Still waiting"),
    "offered": N_("Offered a freed time"),
    "booked": N_("Booked from an offer"),
    "expired": N_("Stay ended without a booking"),
}


def _waitlist(report: Report) -> Sheet:
    """The waiting list's figures: they overlap, so there is no total."""
    title = gettext("Waiting list")
    named = [(gettext(WAITLIST_LABELS[name]), cell) for name, cell in report.waitlist]
    return Sheet(
        "waiting-list",
        title,
        gettext("People who joined the waiting list in the period, by what became of them."),
        (title, gettext("People")),
        [(label, cell.shown) for label, cell in named],
        chart=charts.bars(title, named),
    )


def _counts(
    slug: str,
    title: str,
    note: str,
    key_column: str,
    count_column: str,
    table: Table,
    name: Callable[[Any], str],
) -> Sheet:
    named = [(name(key), cell) for key, cell in table.rows]
    return Sheet(
        slug,
        title,
        note,
        (key_column, count_column),
        [(label, cell.shown) for label, cell in named],
        (gettext("Total"), table.total.shown),
        charts.bars(title, named[:PAGE_ROWS]),
    )


def _trend(slug: str, title: str, note: str, column: str, cells: list[tuple[str, Cell]]) -> Sheet:
    return Sheet(
        slug,
        title,
        note,
        (column, gettext("Appointments")),
        [(period, cell.shown) for period, cell in cells],
        chart=charts.line(title, cells),
    )


def _summary(report: Report) -> Sheet:
    median = report.median_lead_days
    rows = [
        (gettext("Appointments (booked and not cancelled)"), report.by_topic.total.shown),
        (
            gettext("Share in the evening (from %(hour)s:00)", hour=EVENING_HOUR),
            report.shares["evening"].shown,
        ),
        (gettext("Share at the weekend"), report.shares["weekend"].shown),
        (
            gettext("Share in the evening or at the weekend"),
            report.shares["evening_or_weekend"].shown,
        ),
        (gettext("No-shows, of the appointments marked"), report.no_shows.shown),
        (gettext("Cancellations, of the appointments booked"), report.cancellations.shown),
        (
            gettext("Median days from booking to appointment"),
            "-" if median is None else str(median),
        ),
        (
            gettext("Warm handovers (booked and not cancelled)"),
            report.handovers_by_agency.total.shown,
        ),
    ]
    return Sheet(
        "summary",
        gettext("Key figures"),
        gettext("Shares are of the appointments booked and not cancelled, by local start time."),
        (gettext("Figure"), gettext("Value")),
        rows,
    )


def _months(report: Report) -> Sheet:
    title = gettext("Trend by month")
    return Sheet(
        "months",
        title,
        gettext("Appointments per month, with the month's shares and rates as in the key figures."),
        (
            gettext("Month"),
            gettext("Appointments"),
            gettext("Evening or weekend"),
            gettext("No-show rate"),
            gettext("Cancellation rate"),
        ),
        [
            (
                m.month,
                m.appointments.shown,
                m.evening_or_weekend.shown,
                m.no_shows.shown,
                m.cancellations.shown,
            )
            for m in report.by_month
        ],
        chart=charts.line(title, [(m.month, m.appointments) for m in report.by_month]),
    )


def _interpreting(report: Report, language: str) -> Sheet:
    hours = report.interpreter_hours
    return Sheet(
        "interpreter-hours",
        gettext("Interpreter hours by language"),
        gettext("Appointments with an interpreter and their hours, by language interpreted."),
        (gettext("Language"), gettext("Appointments"), gettext("Hours interpreted")),
        [
            (
                _language(key, language),
                cell.shown,
                "-" if hours.get(key) is None else str(hours[key]),
            )
            for key, cell in report.interpreter_sessions.rows
        ],
        (gettext("Total"), report.interpreter_sessions.total.shown, ""),
    )


def regions_sheet(report: RegionReport) -> Sheet:
    """Every region side by side, as one sheet (its own page and CSV)."""
    title = gettext("Regions side by side")
    comparison = report.comparison
    named = [(report.regions.get(r.region_id, f"#{r.region_id}"), r) for r in comparison.rows]
    return Sheet(
        "regions",
        title,
        gettext(
            "Every region in the same period: appointments booked and not cancelled, with the"
            " shares and rates as in the key figures."
        ),
        (
            gettext("Region"),
            gettext("Appointments"),
            gettext("Evening or weekend"),
            gettext("No-show rate"),
            gettext("Handovers"),
        ),
        [
            (
                name,
                row.appointments.shown,
                row.evening_or_weekend.shown,
                row.no_shows.shown,
                row.handovers.shown,
            )
            for name, row in named
        ],
        (gettext("Total"), comparison.appointments.shown, "", "", comparison.handovers.shown),
        charts.bars(title, [(name, row.appointments) for name, row in named]),
    )


def _occupancy(report: Report, point_id: int, grid: list[list[Cell]]) -> Sheet:
    title = gettext(
        "Occupancy of %(point)s by weekday and hour", point=report.points[point_id].name
    )
    days = get_day_names("abbreviated", locale=current_language.get())
    hours = charts.hours_of(grid)
    return Sheet(
        f"occupancy-{point_id}",
        title,
        gettext("Appointments starting in each local hour, per weekday."),
        (gettext("Day"), *(f"{h:02d}:00" for h in hours)),
        [(days[d], *(row[h].shown for h in hours)) for d, row in enumerate(grid)],
        chart=charts.heatmap(title, grid, [days[d] for d in range(7)]),
    )


def _language(code: str, reader: str) -> str:
    """A language's name in the reader's language ("Polish", "Pools"), else its code."""
    try:
        name = Locale.parse(code).get_display_name(reader)
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def csv_text(sheet: Sheet) -> str:
    """The sheet with a header row, as a spreadsheet opens it: UTF-8 with a byte order mark,
    and a name that looks like a formula ("=HYPERLINK(...)") made plain text."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(sheet.columns)
    for row in [*sheet.rows, *([sheet.total] if sheet.total else [])]:
        writer.writerow([_plain(cell) for cell in row])
    return out.getvalue()


def _plain(cell: str) -> str:
    if cell.startswith(FORMULA_START) and not PLAIN.fullmatch(cell):
        return "'" + cell
    return cell
