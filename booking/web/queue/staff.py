"""The desk's side of the queue: add a walk-in to the queue, call the next or a given
number from the agenda, and the coordinator's kiosk links of a point."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.response import Response, Template

from booking.domain.policy import Policy
from booking.services.audit import trail
from booking.services.point_setup import Catalog, PointInfo
from booking.services.queue import entries, kiosk, turns
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.staff.auth import StaffAuthentication, account, coordinators_only
from booking.web.staff.desk import Form, WalkInForm, desk_point, number, staff_page
from booking.web.templating import redirect_see_other
from booking.worker import InProcess


async def call_number(
    request: Request,
    catalog: Catalog,
    policy: Policy,
    point: PointInfo,
    entry_id: int | None,
    desk: str,
    now: datetime,
    worker: InProcess,
) -> turns.Called:
    """A desk calls the next (``entry_id`` None) or one number, from the agenda or the API:
    the walk-in it starts is in the audit log as booked by the caller's account."""
    called = await turns.call(catalog, policy, point, entry_id=entry_id, desk=desk, now=now)
    await trail.record(
        account(request).id, trail.BOOKED_FOR_CALLER, f"appointment:{called.appointment_id}", now
    )
    worker.wake()
    return called


class StaffQueue(Controller):
    path = "/staff/points/{point_id:int}"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    @post("/queue")
    async def add(
        self,
        request: Request,
        point_id: PathId,
        data: Form,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        point = await desk_point(catalog, request, point_id)
        form = WalkInForm.read(data)
        joined = await entries.join(
            catalog,
            policy,
            point,
            topic_id=form.topic_id,
            language=form.language,
            phone=form.phone,
            now=clock(),
        )
        worker.wake()
        return redirect_see_other(f"/staff/points/{point.id}/agenda#queue-{joined.number}")

    @post("/queue/call")
    async def call(
        self,
        request: Request,
        point_id: PathId,
        data: Form,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        """ "Call next" (no entry) or "call" one number; starts its walk-in appointment."""
        point = await desk_point(catalog, request, point_id)
        entry_id = number(data.get("entry")) or None
        called = await call_number(
            request, catalog, policy, point, entry_id, data.get("desk", ""), clock(), worker
        )
        return redirect_see_other(
            f"/staff/points/{point.id}/agenda#appointment-{called.appointment_id}"
        )

    @get("/kiosks", guards=[coordinators_only])
    async def kiosks(
        self, request: Request, point_id: PathId, catalog: NamedDependency[Catalog]
    ) -> Template:
        point = await desk_point(catalog, request, point_id)
        return staff_page(
            request,
            "staff/queue/kiosks.html",
            point=point,
            links=await kiosk.live(point.id),
            new=None,
        )

    @post("/kiosks", guards=[coordinators_only])
    async def create(
        self,
        request: Request,
        point_id: PathId,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        """The new link is shown once; only its hash is kept."""
        point = await desk_point(catalog, request, point_id)
        token = await kiosk.create(point.id, account(request).id, clock())
        return staff_page(
            request,
            "staff/queue/kiosks.html",
            point=point,
            links=await kiosk.live(point.id),
            new=f"{policy.public_base_url}/kiosk/{token}",
        )

    @post("/kiosks/{link_id:int}/revoke", guards=[coordinators_only])
    async def revoke(
        self,
        request: Request,
        point_id: PathId,
        link_id: PathId,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Response:
        point = await desk_point(catalog, request, point_id)
        await kiosk.revoke(link_id, point.id, clock())
        return redirect_see_other(f"/staff/points/{point.id}/kiosks")
