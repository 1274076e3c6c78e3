"""A point's weekly hours, exceptions and mobile visits: one page each, to add and remove
rows. Every page shows the booked appointments that no longer fit after a change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from babel.dates import format_date
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Response, Template
from piccolo.table import Table

from booking.db.tables import MobileVisit, OpeningException, OpeningHours
from booking.domain.errors import N_
from booking.domain.opening_hours import zone
from booking.i18n import current_language, gettext
from booking.services.master_data import affected_appointments
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.staff.admin.forms import (
    CHOICE,
    DATE,
    TIME,
    TRANSLATED,
    Field,
    Form,
    Missing,
    Row,
    Screen,
    Section,
    Values,
    checked_interval,
    choices,
    hours_fields,
    named,
    no_values,
    screen_page,
    season_fields,
    submit,
    weekday_choices,
)
from booking.web.staff.admin.points import point_links, point_row
from booking.web.templating import redirect_see_other

EXCEPTION_KINDS = {
    OpeningException.CLOSED: N_("Closed"),
    OpeningException.CHANGED: N_("Changed hours"),
    OpeningException.EXTRA: N_("Extra opening"),
}


def day_label(day: date) -> str:
    return format_date(day, "EEE d MMM y", locale=current_language.get())


def hours_label(opens: time | None, closes: time | None) -> str:
    return f"{opens:%H:%M}–{closes:%H:%M}" if opens and closes else ""


def season_label(row: dict) -> str:
    if row["valid_from"] is None and row["valid_to"] is None:
        return gettext("all year")
    return " – ".join(day_label(d) if d else "…" for d in (row["valid_from"], row["valid_to"]))


def weekly_fields() -> list[Field]:
    return [
        Field("weekday", gettext("Day of the week"), CHOICE, True, choices=weekday_choices()),
        *hours_fields("opens", "closes"),
        *season_fields(),
    ]


def weekly_row(form: Values) -> dict[str, Any]:
    got = checked_interval(weekly_fields(), form, "opens", "closes")
    return {**got, "weekday": int(got["weekday"])}


def exception_fields() -> list[Field]:
    return [
        Field("day", gettext("Date"), DATE, True, example="2026-12-24"),
        Field("kind", gettext("Kind"), CHOICE, True, choices=choices(EXCEPTION_KINDS)),
        Field("opens", gettext("From"), TIME, example="10:00"),
        Field("closes", gettext("Until"), TIME, example="14:00"),
        Field("reason", gettext("Reason"), max_length=200),
    ]


def exception_row(form: Values) -> dict[str, Any]:
    """A closed day has no hours; changed hours and extra openings need both times."""
    fields = exception_fields()
    got = checked_interval(fields, form, "opens", "closes")
    if got["kind"] == OpeningException.CLOSED:
        return {**got, "opens": None, "closes": None}
    for f in (named(fields, "opens"), named(fields, "closes")):
        if got[f.name] is None:
            raise Missing(f.name, label=f.label)
    return got


def visit_fields() -> list[Field]:
    return [
        Field("day", gettext("Date"), DATE, True, example="2026-12-24"),
        *hours_fields("opens", "closes"),
        Field("place", gettext("Place"), required=True, max_length=120),
        Field("place_i18n", gettext("Place for migrants"), TRANSLATED, max_length=120),
        Field("address", gettext("Address"), max_length=200),
        Field("directions", gettext("Where the bus stands"), TRANSLATED, max_length=500),
    ]


def visit_row(form: Values) -> dict[str, Any]:
    return checked_interval(visit_fields(), form, "opens", "closes")


@dataclass(frozen=True, slots=True)
class PointRows:
    """One kind of row a point has, and how its page lists, reads and shows them."""

    table: type[Table]
    path: str
    title: str
    submit: str
    empty: str
    columns: tuple[str, ...]
    fields: Callable[[], list[Field]]
    read: Callable[[Values], dict[str, Any]]
    cells: Callable[[dict], list[str]]
    #: The first column to sort by; rows by "day" list only today and later, since the past
    #: does not change any more.
    order: str


WEEKLY = PointRows(
    OpeningHours,
    "hours",
    N_("Weekly opening hours"),
    N_("Add opening hours"),
    N_("No weekly hours: the point is only open on exceptions and visits."),
    (N_("Day"), N_("Hours"), N_("Season")),
    weekly_fields,
    weekly_row,
    lambda r: [
        dict(weekday_choices())[str(r["weekday"])],
        hours_label(r["opens"], r["closes"]),
        season_label(r),
    ],
    order="weekday",
)
EXCEPTIONS = PointRows(
    OpeningException,
    "exceptions",
    N_("Exceptions"),
    N_("Add exception"),
    N_("No exceptions ahead."),
    (N_("Date"), N_("Kind"), N_("Hours"), N_("Reason")),
    exception_fields,
    exception_row,
    lambda r: [
        day_label(r["day"]),
        gettext(EXCEPTION_KINDS.get(r["kind"], r["kind"])),
        hours_label(r["opens"], r["closes"]),
        r["reason"],
    ],
    order="day",
)
VISITS = PointRows(
    MobileVisit,
    "visits",
    N_("Mobile visits"),
    N_("Add visit"),
    N_("No visits ahead."),
    (N_("Date"), N_("Hours"), N_("Place"), N_("Address")),
    visit_fields,
    visit_row,
    lambda r: [day_label(r["day"]), hours_label(r["opens"], r["closes"]), r["place"], r["address"]],
    order="day",
)


async def rows_page(
    request: Request, kind: PointRows, point: dict, clock: Clock, values: Values | None = None
) -> Template:
    table = kind.table
    column = table._meta.get_column_by_name
    query = table.select().where(column("point") == point["id"])
    if kind.order == "day":
        today = clock().astimezone(zone(point["timezone"])).date()
        query = query.where(column("day") >= today)
    query = query.order_by(column(kind.order), column("opens"))
    base = f"/staff/admin/points/{point['id']}/{kind.path}"
    rows = [
        Row(kind.cells(r), action=(f"{base}/{r['id']}/delete", gettext("Remove")))
        for r in await query
    ]
    form = Form(base, kind.fields(), values or no_values(), gettext(kind.submit))
    return screen_page(
        request,
        Screen(
            f"{point['name']}: {gettext(kind.title)}",
            links=point_links(point),
            sections=[
                Section(
                    gettext(kind.title),
                    [gettext(c) for c in kind.columns],
                    rows,
                    gettext(kind.empty),
                    form,
                )
            ],
            affected=await affected_appointments([point["id"]], clock()),
        ),
    )


async def add_row(request: Request, kind: PointRows, point_id: PathId, clock: Clock) -> Response:
    point = await point_row(request, point_id)

    async def save(form: Values) -> str:
        await kind.table.insert(kind.table(point=point_id, **kind.read(form)))
        return f"/staff/admin/points/{point_id}/{kind.path}"

    async def again(form: Values) -> Template:
        return await rows_page(request, kind, point, clock, form)

    return await submit(request, save, again)


async def remove_row(request: Request, kind: PointRows, point_id: PathId, row_id: int) -> Response:
    await point_row(request, point_id)
    table = kind.table
    await table.delete().where(
        (table._meta.primary_key == row_id) & (table._meta.get_column_by_name("point") == point_id)
    )
    return redirect_see_other(f"/staff/admin/points/{point_id}/{kind.path}?saved=1")


class HoursAdmin(Controller):
    path = "/points/{point_id:int}"

    @get("/hours")
    async def hours(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Template:
        return await rows_page(request, WEEKLY, await point_row(request, point_id), clock)

    @post("/hours")
    async def add_hours(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        return await add_row(request, WEEKLY, point_id, clock)

    @post("/hours/{row_id:int}/delete")
    async def remove_hours(self, request: Request, point_id: PathId, row_id: PathId) -> Response:
        return await remove_row(request, WEEKLY, point_id, row_id)

    @get("/exceptions")
    async def exceptions(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Template:
        return await rows_page(request, EXCEPTIONS, await point_row(request, point_id), clock)

    @post("/exceptions")
    async def add_exception(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        return await add_row(request, EXCEPTIONS, point_id, clock)

    @post("/exceptions/{row_id:int}/delete")
    async def remove_exception(
        self, request: Request, point_id: PathId, row_id: PathId
    ) -> Response:
        return await remove_row(request, EXCEPTIONS, point_id, row_id)

    @get("/visits")
    async def visits(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Template:
        return await rows_page(request, VISITS, await point_row(request, point_id), clock)

    @post("/visits")
    async def add_visit(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        return await add_row(request, VISITS, point_id, clock)

    @post("/visits/{row_id:int}/delete")
    async def remove_visit(self, request: Request, point_id: PathId, row_id: PathId) -> Response:
        return await remove_row(request, VISITS, point_id, row_id)
