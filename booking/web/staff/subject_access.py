"""The subject access page: a coordinator enters a phone number and gets everything Loket
holds about it, as a page or a JSON download. The number travels only in POST bodies, never
in a URL, so no access log or browser history holds it."""

from __future__ import annotations

import json

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.response import Response, Template

from booking.domain.errors import InvalidPhone
from booking.domain.policy import Policy
from booking.i18n import current_language, gettext
from booking.services import subject_access
from booking.services.point_setup import Catalog
from booking.web.context import Clock
from booking.web.staff.auth import StaffAuthentication, account, coordinators_only
from booking.web.staff.desk import Form, labels, staff_page

TEMPLATE = "staff/subject_access.html"


class SubjectAccess(Controller):
    path = "/staff/subject-access"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]
    guards = [coordinators_only]

    @get("/")
    async def form(self, request: Request) -> Template:
        return staff_page(request, TEMPLATE, phone="", found=None)

    @post("/")
    async def lookup(
        self,
        request: Request,
        data: Form,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template | Response:
        raw = data.get("phone", "")[:40]
        try:
            found = await subject_access.export(
                catalog,
                policy,
                raw,
                account_id=account(request).id,
                language=current_language.get(),
                now=clock(),
            )
        except InvalidPhone as error:
            page = staff_page(request, TEMPLATE, phone=raw, found=None, status_code=422)
            page.context["error"] = gettext(error.message)
            return page
        if data.get("format") == "json":
            return Response(
                json.dumps(found, ensure_ascii=False, indent=2),
                media_type="application/json",
                status_code=200,
                headers={
                    "Content-Disposition": 'attachment; filename="loket-subject-access.json"',
                    "Cache-Control": "no-store",
                },
            )
        return staff_page(
            request, TEMPLATE, phone=found["phone"], found=found, **_names(), status_code=200
        )


def _names() -> dict[str, dict[str, str]]:
    text = labels()
    return {"statuses": text["statuses"], "channels": text["channels"]}
