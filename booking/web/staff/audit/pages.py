"""The audit log page (/staff/audit): filters, one page of entries newest first, older
pages, and the CSV download. The filter may hold a phone number, so the form and the pages
after it travel as POST bodies; a query string takes every filter but the number."""

from __future__ import annotations

from collections.abc import Mapping

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.response import Stream, Template
from litestar.status_codes import HTTP_200_OK

from booking.domain.errors import InvalidInput
from booking.domain.opening_hours import zone
from booking.domain.policy import Policy
from booking.i18n import gettext
from booking.services.audit import export, search
from booking.services.audit.search import LOG_ZONE
from booking.web.context import Clock
from booking.web.errors import status_of
from booking.web.staff.audit import labels
from booking.web.staff.audit.filters import FIELDS, parse, region_scope
from booking.web.staff.auth import StaffAuthentication, account, coordinators_only
from booking.web.staff.desk import Form, staff_page

TEMPLATE = "staff/audit/log.html"


class AuditLogPages(Controller):
    path = "/staff/audit"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]
    guards = [coordinators_only]

    @get("/")
    async def latest(
        self, request: Request, policy: NamedDependency[Policy], clock: NamedDependency[Clock]
    ) -> Template:
        """The newest entries, or those a link's query asks for (never by number)."""
        return await _show(request, dict(request.query_params), policy, clock, from_query=True)

    @post("/", status_code=HTTP_200_OK)
    async def filtered(
        self,
        request: Request,
        data: Form,
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        return await _show(request, data, policy, clock)

    @post("/export.csv", status_code=HTTP_200_OK)
    async def download(
        self,
        request: Request,
        data: Form,
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Stream | Template:
        """Every entry the filter finds, as CSV written while it is read; a bad filter
        shows the page with the message instead."""
        me = account(request)
        try:
            wanted, _ = parse(data)
        except InvalidInput as error:
            return await _refused(request, data, error)
        chunks = await export.export(
            policy, wanted, region_scope(me), labels.csv_header(), account_id=me.id, now=clock()
        )
        return Stream(
            chunks,
            media_type="text/csv",
            headers={
                "Content-Disposition": 'attachment; filename="loket-audit-log.csv"',
                "Cache-Control": "no-store",
            },
        )


async def _show(
    request: Request,
    raw: Mapping[str, str],
    policy: Policy,
    clock: Clock,
    *,
    from_query: bool = False,
) -> Template:
    me = account(request)
    try:
        wanted, before = parse(raw, phone_allowed=not from_query)
    except InvalidInput as error:
        return await _refused(request, raw, error)
    found = await search.look(
        policy, wanted, region_scope(me), account_id=me.id, now=clock(), before=before
    )
    return await _page(request, raw, entries=found.entries, older=found.older)


async def _refused(request: Request, raw: Mapping[str, str], error: InvalidInput) -> Template:
    shown = await _page(request, raw, entries=[], older=None)
    shown.context["error"] = gettext(error.message, **error.params)
    shown.status_code = status_of(error)
    return shown


async def _page(
    request: Request, raw: Mapping[str, str], *, entries: list, older: int | None
) -> Template:
    """The page; ``raw`` refills the form as typed (``before`` excepted)."""
    asked = {name: (raw.get(name) or "")[:40] for name in FIELDS if name != "before"}
    return staff_page(
        request,
        TEMPLATE,
        asked=asked,
        accounts=await search.staff_accounts(region_scope(account(request))),
        entries=entries,
        older=older,
        actions=labels.actions(),
        roles=labels.roles(),
        tz=zone(LOG_ZONE),
        status_code=200,
    )
