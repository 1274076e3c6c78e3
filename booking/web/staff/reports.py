"""The pilot's report for coordinators (their region) and admins (all regions, or one):
every figure as a table with its chart beside it, and each table as a CSV download with
the same filters; and every region side by side (``/regions``), for both. Reports hold
counts only; the service reads no personal data at all.
"""

from __future__ import annotations

import asyncio
from datetime import date

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.params import FromPath
from litestar.response import Template

from booking.domain.errors import N_, InvalidInput
from booking.domain.opening_hours import zone
from booking.i18n import gettext
from booking.reports.figures import SMALL
from booking.reports.sheets import Sheet, csv_text, regions_sheet, sheets
from booking.services import reports
from booking.services.point_setup import Catalog
from booking.services.report_facts import regions
from booking.services.reports import NOT_RECORDED, Period, Report
from booking.web.context import Clock
from booking.web.staff.auth import StaffAuthentication, account, coordinators_only
from booking.web.staff.desk import labels, staff_page, visible_points
from booking.web.staff.handovers.form import OUTCOMES

NOT_RECORDED_LABEL = N_("Not recorded yet")


class UnknownRegion(InvalidInput):
    code = "unknown_region"
    message = N_("Please choose one of the regions.")


class StaffReports(Controller):
    path = "/staff/reports"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]
    guards = [coordinators_only]

    @get("/")
    async def report(
        self, request: Request, catalog: NamedDependency[Catalog], clock: NamedDependency[Clock]
    ) -> Template:
        """The page; bad filters show it again with the message and status 422."""
        today = await _today(catalog, request, clock)
        known, admin = await regions(), account(request).is_admin
        shown = _form(request, today, regions=known if admin else [])
        try:
            region_id, period = _scope(request, today, known)
        except InvalidInput as error:
            return _refused(shown, error)
        report = await reports.build(catalog, region_id, period)
        shown.context.update(
            period=period,
            region_id=region_id,
            region_name=dict(known).get(region_id),
            # Off the event loop, in the reader's language (the thread copies the context).
            sheets=await asyncio.to_thread(_sheets, report),
            query=_query(region_id if admin else None, period),
            occupancy_left_out=len(report.points) > reports.OCCUPANCY_POINTS,
        )
        return shown

    @get("/regions")
    async def regions_page(
        self, request: Request, catalog: NamedDependency[Catalog], clock: NamedDependency[Clock]
    ) -> Template:
        """Every region side by side over the period asked for (no region filter)."""
        today = await _today(catalog, request, clock)
        shown = _form(request, today, comparing=True)
        try:
            period = _period(request, today)
        except InvalidInput as error:
            return _refused(shown, error)
        compared = await reports.compare_regions(period)
        shown.context.update(
            period=period, sheets=[regions_sheet(compared)], query=_query(None, period)
        )
        return shown

    @get("/{name:str}")
    async def download(
        self,
        request: Request,
        name: FromPath[str],
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Response:
        """``<sheet>.csv`` with the page's filters; bad filters get the message page (422)."""
        slug = name.removesuffix(".csv")
        if slug == name:
            raise NotFoundException()
        today = await _today(catalog, request, clock)
        if slug == "regions":
            period = _period(request, today)
            found = regions_sheet(await reports.compare_regions(period))
        else:
            region_id, period = _scope(request, today, await regions())
            report = await reports.build(catalog, region_id, period)
            every = await asyncio.to_thread(_sheets, report)
            found = next((s for s in every if s.slug == slug), None)
        if found is None:
            raise NotFoundException()
        filename = f"loket-{slug}-{period.first}-{period.last}.csv"
        return Response(
            content=csv_text(found),
            media_type="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )


def _form(request: Request, today: date, **context: object) -> Template:
    """The reports page with its form and no figures yet: the defaults, then ``context``."""
    return staff_page(
        request,
        "staff/reports.html",
        **{
            "period": reports.default_period(today),
            "comparing": False,
            "occupancy_left_out": False,
            "region_id": None,
            "region_name": None,
            "regions": [],
            "asked": request.query_params,
            "sheets": [],
            "query": "",
            "small": SMALL,
            "occupancy_points": reports.OCCUPANCY_POINTS,
            **context,
        },
    )


def _refused(shown: Template, error: InvalidInput) -> Template:
    """The page again with the message, status 422."""
    shown.context["error"] = gettext(error.message, **error.params)
    shown.status_code = 422
    return shown


async def _today(catalog: Catalog, request: Request, clock: Clock) -> date:
    points = await visible_points(catalog, request)
    return clock().astimezone(points[0].tz if points else zone("Europe/Amsterdam")).date()


def _scope(
    request: Request, today: date, known: list[tuple[int, str]]
) -> tuple[int | None, Period]:
    """The region and period asked for. A coordinator's report is their own region's (any
    other is refused); an admin's is every region's unless ``region`` names one.

    Raises:
        PermissionDeniedException: a coordinator asked for another region.
        InvalidInput: a bad date, a reversed or too long period, an unknown region.
    """
    me, raw = account(request), request.query_params.get("region", "").strip()
    if not me.is_admin:
        # A coordinator without a region must not fall through to "every region".
        if me.region_id is None or (raw and raw != str(me.region_id)):
            raise PermissionDeniedException("another region")
        region_id = me.region_id
    elif raw:
        ids = {str(r): r for r, _ in known}
        if raw not in ids:
            raise UnknownRegion("region")
        region_id = ids[raw]
    else:
        region_id = None
    return region_id, _period(request, today)


def _period(request: Request, today: date) -> Period:
    query = request.query_params
    return reports.parse_period(query.get("from"), query.get("to"), today)


def _query(region_id: int | None, period: Period) -> str:
    region = f"&region={region_id}" if region_id is not None else ""
    return f"?from={period.first}&to={period.last}{region}"


def _sheets(report: Report) -> list[Sheet]:
    outcomes = {**OUTCOMES, NOT_RECORDED: NOT_RECORDED_LABEL}
    return sheets(
        report, labels()["channels"], {key: gettext(text) for key, text in outcomes.items()}
    )
