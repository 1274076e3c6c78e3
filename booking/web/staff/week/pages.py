"""The week calendar page and the page of one free time (book a caller there, or a walk-in).

Server-rendered with a CSS grid and no script: the layout comes worked out from
booking/domain/week_layout.py, the week from booking/services/week.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.response import Redirect, Template

from booking.domain.errors import InvalidTime, InvalidWeek
from booking.domain.policy import Policy
from booking.domain.week_layout import iso_week, week_label
from booking.i18n import language_name
from booking.services.audit import trail
from booking.services.point_setup import Catalog
from booking.services.week import free_cell, load_week
from booking.web.bounds import PathId, supported
from booking.web.context import Clock
from booking.web.staff.auth import StaffAuthentication, account
from booking.web.staff.desk import (
    labels,
    point_of,
    service_languages,
    staff_page,
    topic_names,
    visible_points,
)


def _monday(asked: str | None, today: date) -> date:
    try:
        return supported(iso_week(asked, today), "week")
    except ValueError as error:
        raise InvalidWeek("week") from error


class StaffWeek(Controller):
    path = "/staff"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    @get("/week")
    async def first_week(self, request: Request, catalog: NamedDependency[Catalog]) -> Redirect:
        """The staff menu's entry: this week at the first point the account may see."""
        points = await visible_points(catalog, request)
        return Redirect(f"/staff/points/{points[0].id}/week" if points else "/staff/")

    @get("/points/{point_id:int}/week")
    async def week(
        self,
        request: Request,
        point_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        point = await point_of(catalog, request, point_id)
        now = clock()
        today = now.astimezone(point.tz).date()
        monday = _monday(request.query_params.get("week"), today)
        week = await load_week(catalog, policy, point.id, monday, now)
        await trail.record(
            account(request).id, trail.VIEWED_AGENDA, f"week:{point.id}:{week_label(monday)}", now
        )
        text = labels()
        printing = "print" in request.query_params
        return staff_page(
            request,
            "staff/week.html",
            point=point,
            week=week,
            label=week_label(monday),
            previous=week_label(monday - timedelta(days=7)),
            next=week_label(monday + timedelta(days=7)),
            this_week=week_label(today - timedelta(days=today.weekday())),
            today=today,
            tz=point.tz,
            topics=await topic_names(catalog),
            statuses=text["statuses"],
            channels=text["channels"],
            roles=text["roles"],
            language_name=language_name,
            print=printing,
        )

    @get("/points/{point_id:int}/week/free")
    async def free(
        self,
        request: Request,
        point_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        point = await point_of(catalog, request, point_id)
        now = clock()
        try:
            start = supported(
                datetime.fromisoformat(request.query_params.get("start", "")), "start"
            )
        except ValueError as error:
            raise InvalidTime("start") from error
        if start.tzinfo is None:
            raise InvalidTime("start")
        cell = free_cell(policy.rules.grid)
        local = start.astimezone(point.tz)
        monday = local.date() - timedelta(days=local.weekday())
        return staff_page(
            request,
            "staff/week_free.html",
            point=point,
            start=start,
            tz=point.tz,
            bookable=start >= policy.rules.bookable_starts(now)[0],
            walk_in=start <= now < start + cell,
            topics=await topic_names(catalog),
            languages=service_languages(),
            back=f"/staff/points/{point.id}/week?week={week_label(monday)}",
        )
