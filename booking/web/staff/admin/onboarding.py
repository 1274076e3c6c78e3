"""Region onboarding on the coordinators' screens: upload the spreadsheet, read every
problem per sheet and row before anything is written, import it in one go, and download
the region in the same format to edit and import again.

The preview carries the checked rows to the import as a form field, so nothing is stored
between the two steps; the import checks them again."""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Response, Template

from booking.domain.errors import N_, InvalidInput
from booking.i18n import gettext
from booking.services.auth.accounts import Account
from booking.services.onboarding.files import (
    MAX_UPLOAD_BYTES,
    UnreadableSheet,
    read_upload,
    write_xlsx,
    write_zip,
)
from booking.services.onboarding.sheets import COLUMNS, Plan, Problem, tables_of
from booking.services.onboarding.store import export_plan, import_tables, preview
from booking.web.context import Clock
from booking.web.staff.admin.points import admin_links, region_choices
from booking.web.staff.auth import account
from booking.web.staff.desk import staff_page
from booking.web.templating import redirect_see_other

BASE = "/staff/admin/onboarding"
TEMPLATE = "staff/admin/onboarding.html"


class NoRegion(InvalidInput):
    code = "no_region"
    message = N_("Choose the region to import into.")


async def chosen_region(me: Account, raw: object) -> int:
    """The coordinator's own region; an admin names one of the regions."""
    if not me.is_admin:
        if me.region_id is None:
            raise NoRegion("region")
        return me.region_id
    allowed = {value for value, _ in await region_choices(me)}
    if not isinstance(raw, str) or raw not in allowed:
        raise NoRegion("region")
    return int(raw)


async def page(
    request: Request,
    *,
    problems: list[Problem] | None = None,
    plan: Plan | None = None,
    rows: str = "",
    region: int | None = None,
    error: str | None = None,
    status: int = 200,
) -> Template:
    shown = staff_page(
        request,
        TEMPLATE,
        links=admin_links(),
        regions=await region_choices(account(request)),
        region=region,
        sheets=COLUMNS,
        problems=problems,
        plan=plan,
        rows=rows,
        limit=MAX_UPLOAD_BYTES // 1_000_000,
    )
    if "saved" in request.query_params:
        changed = request.query_params.get("changes", "0")
        shown.context["notice"] = gettext("Imported: %(count)s rows changed.", count=changed)
    shown.context["error"] = error
    shown.status_code = status
    return shown


class OnboardingAdmin(Controller):
    path = "/onboarding"

    @get("/")
    async def start(self, request: Request) -> Template:
        return await page(request)

    @post("/preview")
    async def check_upload(self, request: Request) -> Template:
        """Every problem in the uploaded file, or what the import will write."""
        form = await request.form()
        try:
            region = await chosen_region(account(request), form.get("region"))
            uploads = (
                [u for u in form.getall("sheets") if hasattr(u, "read")] if "sheets" in form else []
            )
            files = [(u.filename or "", await u.read()) for u in uploads]
            if not files:
                raise UnreadableSheet("sheets")
            tables = read_upload(files)
        except InvalidInput as error:
            return await page(request, error=gettext(error.message, **error.params), status=422)
        plan, problems = await preview(tables, region)
        return await page(
            request,
            problems=problems,
            plan=plan,
            rows="" if problems else json.dumps(tables),
            region=region,
            status=422 if problems else 200,
        )

    @post("/import")
    async def run_import(self, request: Request, clock: NamedDependency[Clock]) -> Response:
        """Imports the rows the preview showed, checked again, all or nothing."""
        form = await request.form()
        me = account(request)
        try:
            region = await chosen_region(me, form.get("region"))
            tables = _rows(form.get("rows"))
        except InvalidInput as error:
            return await page(request, error=gettext(error.message, **error.params), status=422)
        problems, changes = await import_tables(tables, region, me.id, clock())
        if problems:
            return await page(request, problems=problems, region=region, status=422)
        return redirect_see_other(f"{BASE}/?saved=1&changes={changes}")

    @get("/export.xlsx")
    async def export_xlsx(self, request: Request) -> Response:
        region = await chosen_region(account(request), request.query_params.get("region"))
        data = write_xlsx(tables_of(await export_plan(region)))
        return _download(
            data, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    @get("/export.zip")
    async def export_zip(self, request: Request) -> Response:
        region = await chosen_region(account(request), request.query_params.get("region"))
        return _download(write_zip(tables_of(await export_plan(region))), "zip", "application/zip")


def _rows(raw: object) -> dict[str, list[dict[str, str]]]:
    """The rows a preview handed on, shaped as the reader gives them, or UnreadableSheet."""
    if not isinstance(raw, str) or not raw or len(raw) > 4 * MAX_UPLOAD_BYTES:
        raise UnreadableSheet("rows")
    try:
        found: Any = json.loads(raw)
    except ValueError as error:
        raise UnreadableSheet("rows") from error
    if not isinstance(found, dict) or not all(
        isinstance(rows, list)
        and all(
            isinstance(row, dict) and all(isinstance(v, str) for v in row.values()) for row in rows
        )
        for rows in found.values()
    ):
        raise UnreadableSheet("rows")
    return found


def _download(data: bytes, ext: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="loket-region.{ext}"'},
    )
