"""Single sign-on for staff: /staff/sso/login sends the browser to the identity provider,
/staff/sso/callback opens a session for the login it vouches for. Both answer 404 while no
provider is configured; a refusal is a page in the user's language, never a 500."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.middleware import DefineMiddleware
from litestar.response import Redirect, Response, Template

from booking.i18n import gettext
from booking.services.auth import sessions
from booking.services.auth.oidc import accounts, flow, state
from booking.services.auth.oidc.errors import SsoError, SsoRefused, SsoRejected, SsoUnavailable
from booking.settings import Settings
from booking.web.context import Clock
from booking.web.staff.auth import StaffAuthentication, session_cookie
from booking.web.templating import page, redirect_see_other

STATUS = ((SsoRejected, 400), (SsoRefused, 403), (SsoUnavailable, 503))
STATE_PATH = "/staff/sso"


def sso_name(settings: Settings) -> str:
    """The provider's name for the login page's button; empty when there is none."""
    return settings.oidc_name if settings.oidc_issuer else ""


def _configured(settings: Settings) -> None:
    if not settings.oidc_issuer:
        raise NotFoundException()


def _refused(request: Request, settings: Settings, error: SsoError) -> Template:
    status = next(code for kind, code in STATUS if isinstance(error, kind))
    response = page(
        request,
        "staff/sso_refused.html",
        status_code=status,
        me=None,
        notice=None,
        error=None,
        message=gettext(error.message, name=settings.oidc_name),
    )
    response.delete_cookie(state.COOKIE, path=STATE_PATH)
    return response


class StaffSso(Controller):
    path = "/staff/sso"
    include_in_schema = False
    middleware = [DefineMiddleware(StaffAuthentication)]

    @get("/login")
    async def sign_in(
        self, request: Request, settings: NamedDependency[Settings], clock: NamedDependency[Clock]
    ) -> Response:
        _configured(settings)
        try:
            url, sealed = await flow.begin(settings, clock())
        except SsoError as error:
            return _refused(request, settings, error)
        response = Redirect(url)
        response.set_cookie(
            Cookie(
                key=state.COOKIE,
                value=sealed,
                httponly=True,
                secure=settings.public_base_url.startswith("https://"),
                # Lax: the provider's redirect back is a top-level GET, which carries it.
                samesite="lax",
                path=STATE_PATH,
                max_age=int(state.LIFETIME.total_seconds()),
            )
        )
        return response

    @get("/callback")
    async def callback(
        self, request: Request, settings: NamedDependency[Settings], clock: NamedDependency[Clock]
    ) -> Response:
        _configured(settings)
        params = {key: request.query_params.get(key) or "" for key in request.query_params}
        try:
            identity = await flow.finish(
                settings, request.cookies.get(state.COOKIE, ""), params, clock()
            )
            account_id = await accounts.sign_in(identity, settings.oidc_role_map, clock())
        except SsoError as error:
            return _refused(request, settings, error)
        response = redirect_see_other("/staff/")
        response.set_cookie(
            session_cookie(await sessions.start_session(account_id, clock()), settings)
        )
        response.delete_cookie(state.COOKIE, path=STATE_PATH)
        return response
