"""Security headers for every response: no scripts on pages, no referrer, tokens never cached.

Calendar feeds set their own short private caching (booking/web/feeds.py).
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

#: Pages are HTML and CSS (Loket's own style sheet, or inline on staff pages) only; no
#: script, font or frame from anywhere.
PAGE_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: For files named by their bytes (the style sheet, the share card's picture).
CACHE_FOREVER = "public, max-age=31536000, immutable"
#: The OpenAPI browser loads its own scripts; it gets the basic headers only.
LOOSE_PATHS = ("/schema",)
#: Never stored by a browser or proxy: answers about one appointment, and the kiosk (whose
#: answer shows a person's number on a shared tablet) and the waiting-room screen (a stale
#: copy would call the wrong number).
NO_STORE_PATHS = ("/api/appointments", "/invites/", "/kiosk/", "/screen/")
#: Path segments before a link's token: manage (m), waiting list (w) and offer (o) links.
TOKEN_SEGMENTS = ("/m/", "/w/", "/o/")


def security_headers(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Content-Type-Options"] = "nosniff"
                if not path.startswith(LOOSE_PATHS):
                    headers["Content-Security-Policy"] = PAGE_POLICY
                    headers["X-Frame-Options"] = "DENY"
                if path.startswith(NO_STORE_PATHS) or any(s in path for s in TOKEN_SEGMENTS):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
