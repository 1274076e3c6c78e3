"""Master data for coordinators: points, opening hours, exceptions, visits, topics, staff."""

from __future__ import annotations

from litestar import Controller
from litestar.middleware import DefineMiddleware

from booking.web.staff.auth import StaffAuthentication, coordinators_only


class StaffAdmin(Controller):
    path = "/staff/admin"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]
    guards = [coordinators_only]
