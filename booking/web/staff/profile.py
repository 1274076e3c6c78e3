"""The staff member's own settings: the back office's language (also switched from the
header on every page) and the way to their second factor."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.middleware import DefineMiddleware
from litestar.response import Response, Template

from booking.services.auth.accounts import set_language
from booking.web.staff.auth import StaffAuthentication, account
from booking.web.staff.desk import Form, safe_next, staff_page
from booking.web.templating import redirect_see_other


class StaffProfile(Controller):
    path = "/staff"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    @get("/profile")
    async def profile(self, request: Request) -> Template:
        account(request)
        return staff_page(request, "staff/profile.html")

    @post("/language")
    async def choose_language(self, request: Request, data: Form) -> Response:
        """Saves the choice on the account, then shows the page it was made on again."""
        await set_language(account(request).id, data.get("language", ""))
        return redirect_see_other(safe_next(data.get("next")))
