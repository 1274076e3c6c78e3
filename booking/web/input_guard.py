"""Refuses control characters and deeply nested JSON before any handler or decoder sees them.

PostgreSQL refuses NUL in text even in a comparison (a 500 that SQLite never shows), and
msgspec recurses once per level of nesting (a RecursionError, a 500, at about 10,000). One
check at the door covers every path, query string, form and JSON body, pages and API alike:
a 422 naming the field. Handlers whose contract takes any text (the password login, where
such input is an ordinary failed login) opt out with ``opt={RAW_TEXT: True}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from booking.domain.errors import TooDeep, Unstorable

#: Handlers with this opt key set take text as it comes.
RAW_TEXT = "raw_text"
#: C0 controls and DEL, except tab, line feed and carriage return (a note has lines).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: No request of ours nests deeper than a few levels.
MAX_DEPTH = 32
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deep ``body``'s arrays and objects nest, brackets inside strings not counted."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    for bracket in BRACKETS.findall(JSON_STRING.sub(b"", body)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _json_strings(value: Any, field: str | None) -> Iterable[tuple[str | None, str]]:
    """Every key and string in a decoded body, with the name of the field it is under."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key, str(key)
            yield from _json_strings(item, str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, field)


def _pairs(text: str) -> Iterable[tuple[str | None, str]]:
    for key, value in parse_qsl(text, keep_blank_values=True):
        yield key, key
        yield key, value


def refuse_control_characters(named: Iterable[tuple[str | None, str]]) -> None:
    """Raises Unstorable, naming the field, at the first text with a control character."""
    for field, text in named:
        if CONTROL.search(text):
            raise Unstorable(field)


async def _check_body(request: Request) -> None:
    """A form is read as a form; any other body as JSON, whatever its content type says,
    because Litestar decodes a JSON body without looking at the header."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if content_type == "application/x-www-form-urlencoded":
        refuse_control_characters(_pairs(body.decode("utf-8", "replace")))
        return
    if not body:
        return
    if json_depth(body) > MAX_DEPTH:
        raise TooDeep()
    try:
        decoded = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return  # not JSON: the handler's decoder answers it
    refuse_control_characters(_json_strings(decoded, None))


class InputGuard(ASGIMiddleware):
    """The check above, on every HTTP route."""

    scopes = (ScopeType.HTTP,)
    exclude_opt_key = RAW_TEXT

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request: Request = Request(scope, receive)
        params = scope.get("path_params") or {}
        refuse_control_characters((name, str(value)) for name, value in params.items())
        refuse_control_characters(_pairs(scope.get("query_string", b"").decode("latin-1")))
        await _check_body(request)
        await next_app(scope, receive, send)
