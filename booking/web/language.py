"""Which language a request is answered in: URL prefix or ?lang=, cookie, Accept-Language."""

from litestar import Request
from litestar.connection import ASGIConnection

from booking.i18n import current_language, negotiate

LANGUAGE_COOKIE = "lang"


def request_language(request: ASGIConnection) -> str:
    """A logged-in staff member's chosen language, else the visitor's negotiated one."""
    staff_language = getattr(request.scope.get("user"), "language", None)
    if staff_language:
        return negotiate(staff_language)
    return negotiate(
        request.path_params.get("lang") if request.scope.get("path_params") else None,
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        accept=request.headers.get("accept-language"),
    )


async def set_request_language(request: Request) -> None:
    """Before each handler: makes the negotiated language current for gettext and Babel."""
    current_language.set(request_language(request))
