"""Master data for coordinators: points, opening hours, exceptions, visits, topics, staff,
logins and agencies. Coordinators keep their own region, admins every region; consultants
are refused by the guard, so no screen below repeats that check."""

from __future__ import annotations

from litestar import Router
from litestar.middleware import DefineMiddleware

from booking.web.staff.admin.accounts import AccountAdmin
from booking.web.staff.admin.agencies import AgencyAdmin
from booking.web.staff.admin.hours import HoursAdmin
from booking.web.staff.admin.onboarding import OnboardingAdmin
from booking.web.staff.admin.points import PointAdmin
from booking.web.staff.admin.records import TopicAdmin
from booking.web.staff.admin.staff import StaffMemberAdmin
from booking.web.staff.admin.week import WeekAdmin
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
        OnboardingAdmin,
    ],
    middleware=[DefineMiddleware(StaffAuthentication)],
    guards=[coordinators_only],
    include_in_schema=False,
)
