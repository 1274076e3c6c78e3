"""What /schema says beyond the handlers' types: the staff API's Bearer login, the one error
shape (``Problem``: code, message, field) and the error statuses each route can answer.

The statuses are derived from how a route is built (its inputs, its login, its guards), so
a new route is documented truthfully without anyone remembering to; the schemathesis run in
tests/web/test_fuzz.py fails when a route answers a status this does not list.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute

from booking.web.schemas import Problem
from booking.web.staff.auth import OPEN_PATHS, StaffAuthentication

BEARER = "StaffBearer"
#: What each error status means here; every one has the Problem body.
MEANINGS = {
    400: "The request could not be read (malformed JSON, form data or parameters).",
    401: "No valid staff login (send `Authorization: Bearer <token>` from POST /api/staff/login).",
    403: "The login's role may not do this (coordinators only, say).",
    404: "Nothing with this id or token, or it belongs to another region (the same answer).",
    409: "It changed meanwhile: the slot was taken, the hold ended, the appointment is closed.",
    413: "The body is too large.",
    422: "Bad input: `field` names it (unknown ids, dates outside 2000-2100, control "
    "characters, nesting deeper than 32, ...).",
    429: "Too many tries: appointments per number, codes per hour, holds per address, logins.",
}
#: Parameters Litestar fills in itself, not from the client.
RESERVED = {"self", "request", "data", "state", "scope", "headers", "cookies", "query", "body"}


def openapi_config(version: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Loket",
        version=version,
        description=(
            "Appointments and warm handovers for migrant information points. Every error is"
            " a JSON `Problem` {code, message, field} with the message in the caller's"
            " language; the staff API takes the Bearer token of POST /api/staff/login."
        ),
        path="/schema",
        components=Components(
            security_schemes={
                BEARER: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="The token from POST /api/staff/login (a staff session).",
                )
            }
        ),
    )


def problem(status: int) -> ResponseSpec:
    return ResponseSpec(Problem, generate_examples=False, description=MEANINGS[status])


def _logged_in(handler: HTTPRouteHandler) -> bool:
    return any(
        getattr(layer, "middleware", None) is StaffAuthentication
        for layer in handler.resolve_middleware()
    )


def error_statuses(route: HTTPRoute, handler: HTTPRouteHandler) -> set[int]:
    """The error statuses ``handler`` at ``route`` can answer (every route: 422, since the
    input guard reads every path and query string)."""
    signature = handler.parsed_fn_signature.parameters
    inputs = set(signature) - RESERVED - set(handler.resolve_dependencies())
    statuses = {422}
    if inputs or "data" in signature or route.path_parameters:
        statuses.add(400)
    if "data" in signature:
        statuses.add(413)
    if route.path in OPEN_PATHS:
        return statuses | {401, 429}
    if not route.path.startswith("/api/"):
        return statuses
    if inputs or "data" in signature or route.path_parameters:
        statuses.add(404)
    if "POST" in handler.http_methods:
        statuses |= {409, 429}
    if _logged_in(handler):
        statuses |= {401, 403}
    return statuses


def document(app: Litestar) -> None:
    """Adds the error responses and, behind the staff login, the Bearer requirement to every
    route in the schema, before the schema is first built; a route's own ``responses``
    (a webhook's empty 403, say) win."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            responses = {status: problem(status) for status in error_statuses(route, handler)}
            handler.responses = {**responses, **(handler.responses or {})}
            if _logged_in(handler) and route.path not in OPEN_PATHS:
                handler.security = [{BEARER: []}]
