"""The audit log for API clients (Bearer): ``GET /api/staff/audit`` with the filters in the
query, ``POST /api/staff/audit`` with them in a JSON body, the only way to filter by number
(an address with a number ends up in access logs). Both are audited like the page."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from booking.domain.policy import Policy
from booking.services.audit import search
from booking.web.bounds import Id
from booking.web.context import Clock
from booking.web.staff.audit.filters import PHONE_LENGTH, parse, region_scope
from booking.web.staff.auth import StaffAuthentication, account, coordinators_only

Day = Annotated[str, msgspec.Meta(max_length=10, examples=["2026-12-01"])]
#: A query filter as typed; parse() checks it, so page and API refuse alike.
QueryText = Annotated[str | None, QueryParameter(max_length=12)]


class AuditSearchIn(
    msgspec.Struct, forbid_unknown_fields=True, rename={"first": "from", "last": "to"}
):
    staff: Id | None = None
    appointment: Id | None = None
    phone: Annotated[str, msgspec.Meta(max_length=PHONE_LENGTH)] | None = None
    #: Local days in the Netherlands, both included.
    first: Day | None = None
    last: Day | None = None
    #: The previous page's ``older``.
    before: Id | None = None


class AuditEntryOut(msgspec.Struct):
    id: int
    at: datetime
    account: int
    account_name: str
    role: str
    action: str
    subject: str
    appointment: int | None
    detail: str | None


class AuditPageOut(msgspec.Struct):
    entries: list[AuditEntryOut]
    #: Ask again with ``before`` set to this for older entries; null on the last page.
    older: int | None


class AuditApi(Controller):
    path = "/api/staff/audit"
    tags = ["staff"]
    middleware = [DefineMiddleware(StaffAuthentication)]
    guards = [coordinators_only]

    @get("/", summary="Audit log entries, newest first (admins; coordinators: their region)")
    async def entries(
        self,
        request: Request,
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        staff: QueryText = None,
        appointment: QueryText = None,
        first: Annotated[str | None, QueryParameter(name="from", max_length=12)] = None,
        last: Annotated[str | None, QueryParameter(name="to", max_length=12)] = None,
        before: QueryText = None,
        phone: Annotated[str | None, QueryParameter(max_length=PHONE_LENGTH)] = None,
    ) -> AuditPageOut:
        """``phone`` is refused here (422 ``phone_in_address``): POST it instead."""
        raw = {"staff": staff, "appointment": appointment, "from": first, "to": last,
               "before": before, "phone": phone}  # fmt: skip
        return await _look(request, policy, clock, raw, phone_allowed=False)

    @post("/", status_code=HTTP_200_OK, summary="Audit log entries, filters in the body")
    async def search(
        self,
        request: Request,
        data: JSONBody[AuditSearchIn],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> AuditPageOut:
        raw = {
            "staff": str(data.staff) if data.staff else None,
            "appointment": str(data.appointment) if data.appointment else None,
            "phone": data.phone,
            "from": data.first,
            "to": data.last,
            "before": str(data.before) if data.before else None,
        }
        return await _look(request, policy, clock, raw)


async def _look(
    request: Request,
    policy: Policy,
    clock: Clock,
    raw: dict[str, str | None],
    phone_allowed: bool = True,
) -> AuditPageOut:
    me = account(request)
    wanted, before = parse(raw, phone_allowed)
    found = await search.look(
        policy, wanted, region_scope(me), account_id=me.id, now=clock(), before=before
    )
    return AuditPageOut(
        entries=[
            AuditEntryOut(
                id=e.id,
                at=e.at,
                account=e.account_id,
                account_name=e.account_name,
                role=e.account_role,
                action=e.action,
                subject=e.subject,
                appointment=e.appointment_id,
                detail=e.detail,
            )
            for e in found.entries
        ],
        older=found.older,
    )
