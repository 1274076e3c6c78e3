"""Who is asking: the session behind a cookie (pages) or a Bearer token (API), and what
their role and region allow. Anonymous requests never reach a staff handler."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from booking.domain.errors import LoketError
from booking.services.auth.accounts import Account
from booking.services.auth.sessions import SESSION_LIFETIME, account_for
from booking.settings import Settings

SESSION_COOKIE = "loket_staff"
#: Where staff may go without a full session: the login's steps (which check a half-open
#: session themselves) and both legs of single sign-on.
OPEN_PATHS = (
    "/staff/login",
    "/staff/login/code",
    "/staff/login/factor",
    "/api/staff/login",
    "/staff/sso/login",
    "/staff/sso/callback",
)


def session_cookie(token: str, settings: Settings) -> Cookie:
    """The cookie that carries a new session's token, however the identity was proven."""
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        httponly=True,
        secure=settings.public_base_url.startswith("https://"),
        samesite="lax",
        path="/staff",
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )


class StaffAuthentication(AbstractAuthenticationMiddleware):
    """Pages read the session cookie; the API reads only ``Authorization: Bearer``, which a
    browser never sends by itself, so the API needs no CSRF token."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        path = connection.url.path
        if path in OPEN_PATHS:
            return AuthenticationResult(user=None, auth=None)
        if path.startswith("/api/"):
            header = connection.headers.get("authorization", "")
            token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        else:
            token = connection.cookies.get(SESSION_COOKIE, "")
        state = connection.app.state
        account = await account_for(token, state.clock(), state.staff_idle) if token else None
        if account is None:
            raise NotAuthorizedException("login required")
        return AuthenticationResult(user=account, auth=token)


def account(connection: ASGIConnection) -> Account:
    user = connection.scope.get("user")
    if not isinstance(user, Account):
        raise NotAuthorizedException("login required")
    return user


def coordinators_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if not account(connection).is_coordinator:
        raise PermissionDeniedException("coordinators only")


def require_region(who: Account, region_id: int | None, missing: LoketError) -> None:
    """Consultants and coordinators see their own region only. Another region's record is
    answered with ``missing``, the error its lookup raises for an id that does not exist:
    a 403 would tell anyone logged in which ids other regions have."""
    if not who.may_see_region(region_id):
        raise missing
