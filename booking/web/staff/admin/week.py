"""The week preview: a point's seven days as migrants will be offered them, after exceptions,
holidays and visits, with the people working each day. Evenings and weekends, where the
migrants who work shifts come, are marked so a gap in them stands out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from booking.db.tables import OpeningException
from booking.domain.availability import working_time
from booking.domain.intervals import Interval
from booking.domain.opening_hours import WallHours, holidays_between, zone
from booking.i18n import gettext
from booking.services.point_setup import PointSetup, load_point_setup
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.staff.admin.forms import (
    DATE,
    Field,
    Screen,
    read_one,
    screen_page,
    values_of,
)
from booking.web.staff.admin.hours import EXCEPTION_KINDS
from booking.web.staff.admin.points import point_links, point_row

#: Opening from this hour on counts as evening.
EVENING = time(17)


@dataclass(frozen=True, slots=True)
class Part:
    """A stretch of opening time, split where the evening begins."""

    hours: WallHours
    evening: bool


@dataclass(frozen=True, slots=True)
class PreviewDay:
    day: date
    weekend: bool
    parts: list[Part]
    #: The public holiday's name, whether or not the point closes for it.
    holiday: str | None
    #: The point is closed this day because of the holiday.
    closed_for_holiday: bool
    #: Exceptions (kind label and reason) and visits (place) of the day.
    notes: list[str]
    #: Who works here this day, and when (UTC instants, shown in the point's zone).
    people: list[tuple[str, list[Interval]]]


def parts_of(hours: list[WallHours]) -> list[Part]:
    parts = []
    for h in hours:
        if h.opens < EVENING < h.closes:
            parts += [
                Part(WallHours(h.opens, EVENING), False),
                Part(WallHours(EVENING, h.closes), True),
            ]
        else:
            parts.append(Part(h, h.opens >= EVENING))
    return parts


def preview(setup: PointSetup, monday: date, exceptions: list[dict]) -> list[PreviewDay]:
    """The seven days from ``monday``, as WeeklyPattern.hours_on decides them."""
    tz = setup.point.tz
    names = holidays_between(monday, monday + timedelta(days=6))
    days = []
    for day in (monday + timedelta(days=n) for n in range(7)):
        hours = setup.hours.hours_on(day)
        point_open = setup.hours.intervals(tz, day, day)
        notes = [
            " ".join(
                filter(
                    None, (gettext(EXCEPTION_KINDS.get(e["kind"], e["kind"])) + ":", e["reason"])
                )
            )
            for e in exceptions
            if e["day"] == day
        ]
        notes += [
            gettext("Visit: %(place)s", place=", ".join(filter(None, (v.place, v.address))))
            for v in setup.visits
            if v.day == day
        ]
        people = [
            (p.name, own)
            for p in setup.people
            if (
                own := list(
                    working_time(
                        point_open,
                        p.schedule.intervals(tz, day, day),
                        setup.absences.get(p.id, ()),
                    )
                )
            )
        ]
        days.append(
            PreviewDay(
                day=day,
                weekend=day.weekday() >= 5,
                parts=parts_of(hours),
                holiday=names.get(day),
                closed_for_holiday=day in setup.holidays and not hours,
                notes=notes,
                people=people,
            )
        )
    return days


class WeekAdmin(Controller):
    path = "/points/{point_id:int}/week"

    @get("/")
    async def week(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Template:
        point = await point_row(request, point_id)
        tz = zone(point["timezone"])
        asked = Field("week", gettext("Week"), DATE, example="2026-12-21")
        chosen = read_one(asked, request.query_params) or clock().astimezone(tz).date()
        monday = chosen - timedelta(days=chosen.weekday())
        sunday = monday + timedelta(days=6)
        setup = await load_point_setup(point_id, monday, sunday)
        exceptions = await OpeningException.select().where(
            (OpeningException.point == point_id)
            & (OpeningException.day >= monday)
            & (OpeningException.day <= sunday)
        )
        return screen_page(
            request,
            Screen(
                gettext("%(point)s: week preview", point=point["name"]),
                links=point_links(point),
                extra={
                    "days": preview(setup, monday, exceptions) if setup else None,
                    "tz": tz,
                    "week_field": asked,
                    "week_values": values_of([("week", monday)]),
                    "previous": monday - timedelta(days=7),
                    "next": monday + timedelta(days=7),
                    "evening": EVENING,
                },
            ),
            "staff/admin/week.html",
        )
