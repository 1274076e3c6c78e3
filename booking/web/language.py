"""Which language a request is answered in: URL prefix or ?lang=, cookie, Accept-Language."""

from litestar import Request
from litestar.connection import ASGIConnection

from booking.i18n import accept_language, current_language, negotiate, ui_language

LANGUAGE_COOKIE = "lang"
#: A route's ``opt`` key naming its own default language, e.g. Dutch for agencies' pages.
DEFAULT_LANGUAGE_OPT = "default_language"


def request_language(request: ASGIConnection) -> str:
    """A logged-in staff member's chosen language, else the visitor's negotiated one.

    The staff login pages follow ?lang= and the browser only.

    Routes with their own default (``DEFAULT_LANGUAGE_OPT``) serve people other than
    migrants: they follow ?lang= and the browser, then that default, and ignore the cookie
    the migrants' pages set.
    """
    staff_language = getattr(request.scope.get("user"), "language", None)
    if staff_language:
        return negotiate(staff_language)
    if request.scope.get("path", "").startswith("/staff/login"):
        # Until logged in: the browser's languages, not the cookie the migrants' pages set.
        tags = accept_language(request.headers.get("accept-language"))
        return negotiate(request.query_params.get("lang"), *tags)
    route = request.scope.get("route_handler")
    default = route.opt.get(DEFAULT_LANGUAGE_OPT) if route is not None else None
    if default:
        tags = accept_language(request.headers.get("accept-language"))
        return negotiate(request.query_params.get("lang"), *tags, default)
    return negotiate(
        request.path_params.get("lang") if request.scope.get("path_params") else None,
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        accept=request.headers.get("accept-language"),
    )


def link_language(request: ASGIConnection, booked_in: str) -> str:
    """The language a texted link (manage, offer) opens in: the one the person chose when
    booking or joining, where the pages have it; else the visitor's cookie and browser."""
    return ui_language(booked_in) or negotiate(
        request.cookies.get(LANGUAGE_COOKIE), accept=request.headers.get("accept-language")
    )


async def set_request_language(request: Request) -> None:
    """Before each handler: makes the negotiated language current for gettext and Babel."""
    current_language.set(request_language(request))
