"""CSRF tokens for the staff pages, bound to the session they protect.

Litestar's CSRF token is a double-submit cookie that any session shares; this one is an HMAC
of the session token's hash under LOKET_SECRET_KEY, so a token seen in one session is
worthless in another and dies with its session. Before a login the token is bound the
same way to a random pre-login cookie. Templates get it as the usual ``csrf_input``. The
staff API (Bearer tokens, which a browser never sends by itself) is not under /staff/.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from booking.services.auth.sessions import digest
from booking.web.staff.auth import SESSION_COOKIE

PRE_COOKIE = "loket_staff_pre"
FIELD = "_csrf_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def session_token(secret: str, kind: str, value: str) -> str:
    return hmac.new(
        secret.encode(), f"csrf\x1f{kind}\x1f{value}".encode(), hashlib.sha256
    ).hexdigest()


class SessionCsrf:
    """Checks every unsafe request under /staff/ and hands the pages their token."""

    def __init__(self, app: ASGIApp, secret: str, secure: bool) -> None:
        self.app = app
        self.secret = secret
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        if scope["type"] != "http" or not (path == "/staff" or path.startswith("/staff/")):
            await self.app(scope, receive, send)
            return
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        session = request.cookies.get(SESSION_COOKIE, "")
        pre = request.cookies.get(PRE_COOKIE, "")
        fresh = ""
        if session:
            expected = session_token(self.secret, "session", digest(session))
        else:
            pre = pre or (fresh := secrets.token_urlsafe(24))
            expected = session_token(self.secret, "pre", pre)
        if request.method not in SAFE_METHODS:
            sent = request.headers.get("x-csrftoken", "")
            if not sent and request.content_type[0] in FORM_TYPES:
                sent = (await request.form()).get(FIELD, "")
            if not (
                isinstance(sent, str) and sent.isascii() and hmac.compare_digest(sent, expected)
            ):
                raise PermissionDeniedException("CSRF token verification failed")
        ScopeState.from_scope(scope).csrf_token = expected
        await self.app(scope, receive, self._with_cookie(send, fresh) if fresh else send)

    def _with_cookie(self, send: Send, value: str) -> Send:
        cookie = Cookie(
            key=PRE_COOKIE,
            value=value,
            path="/staff",
            httponly=True,
            secure=self.secure,
            samesite="lax",
        )

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add(
                    "set-cookie", cookie.to_header(header="")
                )
            await send(message)

        return wrapped
