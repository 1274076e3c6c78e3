"""Master data for coordinators: points, opening hours, exceptions, visits, topics, staff,
logins and agencies. Coordinators keep their own region, admins every region; consultants
are refused by the guard, so no screen below repeats that check."""

from __future__ import annotations

from litestar import Router
from litestar.middleware import DefineMiddleware

from booking.web.staff.admin_accounts import AccountAdmin
from booking.web.staff.admin_agencies import AgencyAdmin
from booking.web.staff.admin_hours import HoursAdmin
from booking.web.staff.admin_points import PointAdmin
from booking.web.staff.admin_records import TopicAdmin
from booking.web.staff.admin_staff import StaffMemberAdmin
from booking.web.staff.admin_week import WeekAdmin
from booking.web.staff.auth import StaffAuthentication, coordinators_only

StaffAdmin = Router(
    path="/staff/admin",
    route_handlers=[
        PointAdmin,
        HoursAdmin,
        WeekAdmin,
        StaffMemberAdmin,
        TopicAdmin,
        AgencyAdmin,
        AccountAdmin,
    ],
    middleware=[DefineMiddleware(StaffAuthentication)],
    guards=[coordinators_only],
    include_in_schema=False,
)
