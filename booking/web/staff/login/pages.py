"""Logging in to the back office: the password, then the code of the second factor, or its
enrolment (QR code, first code, recovery codes shown once). A step reached without the one
before it goes back to the start; only the last step sets a full session's cookie."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.middleware import DefineMiddleware
from litestar.params import Body
from litestar.response import Response, Template

from booking.db.tables import StaffSession
from booking.domain.errors import LimitReached, LoketError
from booking.domain.policy import Policy
from booking.i18n import gettext
from booking.services.auth import factors, login, recovery, sessions
from booking.settings import Settings
from booking.web.context import Clock
from booking.web.errors import on_loket_error
from booking.web.input_guard import RAW_TEXT
from booking.web.staff.auth import SESSION_COOKIE, StaffAuthentication, session_cookie
from booking.web.staff.desk import safe_next, staff_page
from booking.web.staff.sso import sso_name
from booking.web.templating import redirect_see_other

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
NEXT_STEP = {
    StaffSession.CODE: "/staff/login/code",
    StaffSession.SETUP: "/staff/login/factor",
}


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _found(request: Request, clock: Clock) -> sessions.Found | None:
    return await sessions.session_for(
        request.cookies.get(SESSION_COOKIE, ""), clock(), request.app.state.staff_idle
    )


def _with_session(target: str, token: str, settings: Settings) -> Response:
    response = redirect_see_other(target)
    response.set_cookie(session_cookie(token, settings))
    return response


def _back_to_start() -> Response:
    return redirect_see_other("/staff/login")


class StaffLogin(Controller):
    path = "/staff"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    def _form(
        self, request: Request, settings: Settings, *, next_url: str, email: str = ""
    ) -> Template:
        return staff_page(
            request, "staff/login.html", next=next_url, email=email, sso=sso_name(settings)
        )

    @get("/login")
    async def login_form(self, request: Request, settings: NamedDependency[Settings]) -> Template:
        return self._form(request, settings, next_url=safe_next(request.query_params.get("next")))

    @post("/login", opt={RAW_TEXT: True})
    async def log_in(
        self,
        request: Request,
        data: Form,
        clock: NamedDependency[Clock],
        policy: NamedDependency[Policy],
        settings: NamedDependency[Settings],
    ) -> Response:
        next_url = safe_next(data.get("next"))
        try:
            token, stage = await login.log_in(
                policy,
                data.get("email", "")[:254],
                data.get("password", "")[:200],
                clock(),
                address=_address(request),
                factor_for_all=settings.factor_for_all,
            )
        except LimitReached as error:
            return on_loket_error(request, error)
        except LoketError as error:
            failed = self._form(
                request, settings, next_url=next_url, email=data.get("email", "")[:254]
            )
            failed.context["error"] = gettext(error.message)
            failed.status_code = 401
            return failed
        step = NEXT_STEP.get(stage)
        return _with_session(f"{step}?next={next_url}" if step else next_url, token, settings)

    @get("/login/code")
    async def code_form(self, request: Request, clock: NamedDependency[Clock]) -> Response:
        found = await _found(request, clock)
        if found is None or found.stage != StaffSession.CODE:
            return _back_to_start()
        return staff_page(
            request, "staff/login_code.html", next=safe_next(request.query_params.get("next"))
        )

    @post("/login/code")
    async def code(
        self,
        request: Request,
        data: Form,
        clock: NamedDependency[Clock],
        policy: NamedDependency[Policy],
        settings: NamedDependency[Settings],
    ) -> Response:
        found = await _found(request, clock)
        if found is None or found.stage != StaffSession.CODE:
            return _back_to_start()
        next_url = safe_next(data.get("next"))
        try:
            token = await login.prove_factor(
                policy, found, data.get("code", "")[:40], clock(), _address(request)
            )
        except LimitReached as error:
            return on_loket_error(request, error)
        except login.LoginFailed:
            return _back_to_start()
        except LoketError as error:
            again = staff_page(request, "staff/login_code.html", next=next_url)
            again.context["error"] = gettext(error.message)
            again.status_code = 401
            return again
        return _with_session(next_url, token, settings)

    async def _setup_page(
        self, request: Request, found: sessions.Found, policy: Policy, settings: Settings
    ) -> Template:
        next_url = safe_next(request.query_params.get("next"))
        full = found.stage == StaffSession.FULL
        if await factors.is_enrolled(found.account.id):
            return staff_page(
                request,
                "staff/factor_setup.html",
                me=found.account if full else None,
                enrolled=True,
                left=await recovery.left(found.account.id),
                next=next_url,
            )
        enrolment = await factors.begin(policy, found.account.id)
        return staff_page(
            request,
            "staff/factor_setup.html",
            me=found.account if full else None,
            enrolled=False,
            required=factors.required(found.account.role, settings.factor_for_all),
            svg=enrolment.svg,
            secret=enrolment.secret,
            next=next_url,
        )

    @get("/login/factor")
    async def factor_form(
        self,
        request: Request,
        clock: NamedDependency[Clock],
        policy: NamedDependency[Policy],
        settings: NamedDependency[Settings],
    ) -> Response:
        found = await _found(request, clock)
        if found is None or found.stage == StaffSession.CODE:
            return _back_to_start()
        return await self._setup_page(request, found, policy, settings)

    @post("/login/factor")
    async def enrol(
        self,
        request: Request,
        data: Form,
        clock: NamedDependency[Clock],
        policy: NamedDependency[Policy],
        settings: NamedDependency[Settings],
    ) -> Response:
        found = await _found(request, clock)
        if found is None or found.stage == StaffSession.CODE:
            return _back_to_start()
        now = clock()
        codes = await factors.confirm(policy, found.account.id, data.get("code", "")[:20], now)
        if codes is None:
            again = await self._setup_page(request, found, policy, settings)
            again.context["error"] = gettext(login.CodeWrong.message)
            again.status_code = 422
            return again
        full = found.stage == StaffSession.FULL
        shown = staff_page(
            request,
            "staff/recovery_codes.html",
            me=found.account if full else None,
            codes=codes,
            next=safe_next(data.get("next")),
        )
        if not full:
            token = await sessions.promote(found.session_id, found.account.id, now)
            shown.cookies.append(session_cookie(token, settings))
        shown.headers["Cache-Control"] = "no-store"
        return shown

    @post("/logout")
    async def log_out(self, request: Request) -> Response:
        await sessions.log_out(request.cookies.get(SESSION_COOKIE, ""))
        response = redirect_see_other("/staff/login")
        response.delete_cookie(SESSION_COOKIE, path="/staff")
        return response
