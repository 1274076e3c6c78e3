"""The one place that turns errors into HTTP responses, in the caller's language.

Domain errors carry their status by class; malformed requests become 422 with the field;
anything unexpected is logged (without request data) and answered with a plain 500.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect
from litestar.status_codes import (
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from booking.domain.errors import (
    N_,
    Busy,
    Conflict,
    InvalidInput,
    LimitReached,
    LoketError,
    NotAuthenticated,
    NotFound,
)
from booking.i18n import current_language, gettext, ngettext
from booking.web.bounds import MAX_BODY_BYTES
from booking.web.language import request_language
from booking.web.schemas import Problem
from booking.web.templating import page

log = logging.getLogger(__name__)

UNKNOWN_FIELD = re.compile(r"unknown field `([^`]{1,64})`")

STATUS_BY_ERROR: tuple[tuple[type[LoketError], int], ...] = (
    (NotAuthenticated, HTTP_401_UNAUTHORIZED),
    (NotFound, HTTP_404_NOT_FOUND),
    (InvalidInput, HTTP_422_UNPROCESSABLE_ENTITY),
    (Conflict, HTTP_409_CONFLICT),
    (LimitReached, HTTP_429_TOO_MANY_REQUESTS),
    (Busy, HTTP_503_SERVICE_UNAVAILABLE),
)

NO_SUCH_PAGE = N_("There is no such page.")
LOGIN_REQUIRED = N_("Please log in first.")
FORBIDDEN = N_("You may not see or change this.")
NOT_ALLOWED = N_("This action is not possible here.")
BAD_REQUEST = N_("Please check what you entered.")
TOO_LARGE = N_("What you sent is too large (at most %(megabytes)s MB). Please send a smaller file.")
HEADINGS = {
    403: N_("Not allowed"),
    404: N_("We could not find this page"),
    409: N_("This did not work"),
    413: N_("This did not work"),
    422: N_("This did not work"),
    429: N_("Please try again later"),
}
ERROR_HEADING = N_("Something went wrong")
TO_START = N_("Go to the start page")
TO_BACK_OFFICE = N_("Go to the back office")
MACHINE_PATHS = ("/api", "/schema", "/health", "/webhooks")


def error_text(error: LoketError, language: str | None = None) -> str:
    """The error's message in ``language`` (default: the request's), plural forms included."""
    if error.plural is not None:
        count = int(error.params.get("num", 0))
        return ngettext(error.message, error.plural, count, language, **error.params)
    return gettext(error.message, language, **error.params)


def problem(
    request: Request,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    *,
    error: LoketError | None = None,
    **params,
) -> Response:
    """JSON for machines; for people, a page in their language with a way back to the start.

    With ``error``, its own text (plural forms included) replaces ``message``.
    """
    language = request_language(request)
    text = error_text(error, language) if error else gettext(message, language, **params)
    if request.url.path.startswith("/staff"):
        current_language.set(language)
        return page(
            request,
            "staff/message.html",
            status_code=status,
            heading=gettext(HEADINGS.get(status, ERROR_HEADING), language),
            message=text,
            next_url="/staff/",
            next_label=gettext(TO_BACK_OFFICE, language),
            me=request.scope.get("user"),
            notice=None,
            error=None,
        )
    if not request.url.path.startswith(MACHINE_PATHS):
        current_language.set(language)
        return page(
            request,
            "message.html",
            status_code=status,
            heading=gettext(HEADINGS.get(status, ERROR_HEADING), language),
            message=text,
            next_url=f"/{language}/",
            next_label=gettext(TO_START, language),
        )
    return Response(
        Problem(code=code, message=text, field=field), status_code=status, media_type=MediaType.JSON
    )


def status_of(error: LoketError) -> int:
    """The HTTP status of a domain error; pages that show it in place use it too."""
    return next(
        (s for cls, s in STATUS_BY_ERROR if isinstance(error, cls)), HTTP_422_UNPROCESSABLE_ENTITY
    )


def on_loket_error(request: Request, error: LoketError) -> Response:
    response = problem(
        request, status_of(error), error.code, error.message, error.field, error=error
    )
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def on_validation_error(request: Request, error: ValidationException) -> Response:
    """Malformed input names the offending field (an unknown one too) and is a 422."""
    field = None
    if isinstance(error.extra, list) and error.extra and isinstance(error.extra[0], dict):
        field = error.extra[0].get("key")
        unknown = UNKNOWN_FIELD.search(str(error.extra[0].get("message", "")))
        if unknown:
            field = unknown.group(1)
    return problem(request, HTTP_422_UNPROCESSABLE_ENTITY, "invalid_input", BAD_REQUEST, field)


def on_http_error(request: Request, error: HTTPException) -> Response:
    if isinstance(error, NotAuthorizedException):
        if request.url.path.startswith("/staff"):
            return Redirect(f"/staff/login?next={quote(request.url.path)}")
        return problem(request, HTTP_401_UNAUTHORIZED, "login_required", LOGIN_REQUIRED)
    if isinstance(error, PermissionDeniedException):
        return problem(request, HTTP_403_FORBIDDEN, "forbidden", FORBIDDEN)
    if isinstance(error, NotFoundException):
        return problem(request, HTTP_404_NOT_FOUND, "not_found", NO_SUCH_PAGE)
    if isinstance(error, MethodNotAllowedException):
        return problem(request, HTTP_405_METHOD_NOT_ALLOWED, "method_not_allowed", NOT_ALLOWED)
    if error.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        # Litestar refuses the body before a handler reads it (Litestar(request_max_body_size)).
        megabytes = MAX_BODY_BYTES // 1_000_000
        return problem(request, error.status_code, "too_large", TOO_LARGE, megabytes=megabytes)
    code = "invalid_input" if error.status_code < 500 else "error"
    return problem(
        request,
        error.status_code,
        code,
        BAD_REQUEST if error.status_code < 500 else LoketError.message,
    )


def on_unexpected(request: Request, error: Exception) -> Response:
    log.error(
        "unexpected %s on %s %s",
        type(error).__name__,
        request.method,
        request.url.path,
        exc_info=error,
    )
    return problem(request, HTTP_500_INTERNAL_SERVER_ERROR, "error", LoketError.message)


EXCEPTION_HANDLERS = {
    LoketError: on_loket_error,
    ValidationException: on_validation_error,
    HTTPException: on_http_error,
    Exception: on_unexpected,
}
