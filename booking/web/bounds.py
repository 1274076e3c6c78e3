"""The ranges the web accepts for ids and dates, so nothing past an engine's range reaches
the database or the time arithmetic (a 500 otherwise: PostgreSQL's integers are 32-bit,
SQLite's 64-bit, and a date in year 1 or 9999 overflows on the first time-zone shift)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, TypeVar

import msgspec
from litestar.params import PathParameter, QueryParameter

from booking.domain.errors import DateOutOfRange

#: The largest value of PostgreSQL's integer columns; every id is at most this.
MAX_ID = 2_147_483_647
#: The largest request body (Litestar's default, named so the 413's message can say it).
MAX_BODY_BYTES = 10_000_000
#: Years a date or time may fall in: others are typing mistakes or probes.
FIRST_YEAR, LAST_YEAR = 2000, 2100

#: An id in a JSON body.
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
#: An id in a path: past the range it is a 422, never a database error.
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
#: An id in a query string.
QueryId = Annotated[int, QueryParameter(ge=1, le=MAX_ID)]
OptionalQueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]

When = TypeVar("When", date, datetime)


def supported(value: When, field: str) -> When:
    """``value`` if its year lies in FIRST_YEAR..LAST_YEAR.

    Raises:
        DateOutOfRange: a 422 naming ``field``.
    """
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DateOutOfRange(field, first=FIRST_YEAR, last=LAST_YEAR)
    return value


def supported_or_none(value: When | None, field: str) -> When | None:
    return None if value is None else supported(value, field)
