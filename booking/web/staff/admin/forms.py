"""Forms of the master-data screens, described once: rendered by one template, read and
checked in one place, so bad input comes back as a 422 page with a message and the database
(where PostgreSQL enforces lengths and SQLite does not) only ever sees checked values."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfoNotFoundError

from babel.dates import get_day_names
from litestar import Request, Response
from litestar.datastructures import MultiDict
from litestar.response import Template
from multidict import MultiMapping

from booking.db.transactions import is_unique_violation
from booking.domain.errors import N_, InvalidInput
from booking.domain.opening_hours import wall_to_utc, zone
from booking.i18n import DATA_LANGUAGES, current_language, gettext, language_name
from booking.services.master_data import AffectedAppointment
from booking.web.bounds import FIRST_YEAR, LAST_YEAR, MAX_ID
from booking.web.staff.desk import staff_page
from booking.web.templating import redirect_see_other

D = TypeVar("D", date, datetime)
T = TypeVar("T")

#: What a form was filled in with: the request's form, or a record turned into form values.
Values = MultiMapping[Any]

TEXT, EMAIL, SLUG, PASSWORD, NUMBER, CHOICE, MANY, CHECKBOX = (
    "text", "email", "slug", "password", "number", "choice", "many", "checkbox",
)  # fmt: skip
TRANSLATED, ZONE, TIME, DATE, DATETIME = "translated", "zone", "time", "date", "datetime"
#: Several e-mail addresses in one input, separated by commas or spaces.
EMAILS = "emails"

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SAVED = N_("Saved.")


class Missing(InvalidInput):
    code = "missing"
    message = N_("Please fill in “%(label)s”.")


class TooLong(InvalidInput):
    code = "too_long"
    message = N_("“%(label)s” can be at most %(length)s characters long.")


class OutOfRange(InvalidInput):
    code = "out_of_range"
    message = N_("“%(label)s” must be a whole number from %(low)s to %(high)s.")


class BadChoice(InvalidInput):
    code = "bad_choice"
    message = N_("Please choose one of the options for “%(label)s”.")


class BadFormat(InvalidInput):
    code = "bad_format"
    message = N_("“%(label)s” is not in the right form, for example %(example)s.")


class Reversed(InvalidInput):
    code = "reversed"
    message = N_("“%(later)s” must come after “%(earlier)s”.")


class InUse(InvalidInput):
    code = "in_use"
    message = N_("“%(label)s” is already in use; please choose another.")


@dataclass(frozen=True, slots=True)
class Field:
    """One input. ``label`` is already in the reader's language; ``choices`` are
    (value, label) pairs; translated fields have one input per language of place data."""

    name: str
    label: str
    kind: str = TEXT
    required: bool = False
    max_length: int = 0
    choices: tuple[tuple[str, str], ...] = ()
    low: int = 0
    high: int = MAX_ID
    example: str = ""

    @property
    def parts(self) -> list[tuple[str, str]]:
        """Input names, labels and codes of a translated field, one per data language."""
        return [
            (part(self.name, c), f"{self.label} ({language_name(c)})", c) for c in DATA_LANGUAGES
        ]


def part(name: str, code: str) -> str:
    """The input of the translated field ``name`` for the language ``code``."""
    return f"{name}_{code}"


@dataclass(frozen=True, slots=True)
class Form:
    action: str
    fields: Sequence[Field]
    values: Values
    submit: str


@dataclass(frozen=True, slots=True)
class Row:
    cells: Sequence[str]
    #: Where the first cell links to.
    link: str | None = None
    #: A button (url, label) that posts to ``url``.
    action: tuple[str, str] | None = None
    #: Further such buttons.
    more: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A table of rows, optionally followed by a form that adds one."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Row]
    empty: str
    form: Form | None = None


@dataclass(slots=True)
class Screen:
    """What the one master-data template shows; every part is optional but the heading."""

    heading: str
    links: Sequence[tuple[str, str]] = ()
    form: Form | None = None
    sections: Sequence[Section] = ()
    #: None when the page is not about hours at all.
    affected: list[AffectedAppointment] | None = None
    #: How many appointments no longer fit, and the page that lists them.
    affected_count: int | None = None
    affected_link: str = ""
    #: A link with a secret in it, shown once right after it was made (it is not stored).
    secret_link: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def screen_page(
    request: Request, screen: Screen, template: str = "staff/admin/screen.html"
) -> Template:
    notice = gettext(SAVED) if "saved" in request.query_params else None
    shown = staff_page(request, template, screen=screen, **screen.extra)
    shown.context["notice"] = notice
    return shown


async def submit(
    request: Request,
    save: Callable[[Values], Awaitable[str]],
    again: Callable[[Values], Awaitable[Template]],
) -> Response:
    """Post/redirect/get: ``save`` the form and go where it says; on bad input, the page
    ``again`` with what was entered, the message and status 422."""
    form = await request.form()
    try:
        target = await save(form)
    except InvalidInput as error:
        shown = await again(form)
        shown.context["error"] = gettext(error.message, **error.params)
        shown.status_code = 422
        return shown
    return redirect_see_other(f"{target}{'&' if '?' in target else '?'}saved=1")


def named(fields: Iterable[Field], name: str) -> Field:
    return next(f for f in fields if f.name == name)


async def unique(write: Awaitable[T], f: Field) -> T:
    """Runs ``write``; a duplicate of the unique ``f`` becomes a message, not a 500."""
    try:
        return await write
    except Exception as error:
        if is_unique_violation(error):
            raise InUse(f.name, label=f.label) from error
        raise


def read(fields: Iterable[Field], form: Values) -> dict[str, Any]:
    """The checked, typed value of every field; the first problem raises InvalidInput."""
    return {f.name: read_one(f, form) for f in fields}


def read_one(f: Field, form: Values) -> Any:
    if f.kind == CHECKBOX:
        return f.name in form
    if f.kind == MANY:
        chosen = set(form.getall(f.name, []))
        if not chosen <= {value for value, _ in f.choices}:
            raise BadChoice(f.name, label=f.label)
        if f.required and not chosen:
            raise Missing(f.name, label=f.label)
        return [value for value, _ in f.choices if value in chosen]
    if f.kind == EMAILS:
        return _emails(f, _text(f, " ".join(form.getall(f.name, []))))
    if f.kind == TRANSLATED:
        texts = {code: _text(f, form.get(part(f.name, code), "")) for code in DATA_LANGUAGES}
        if f.required and not any(texts.values()):
            raise Missing(f.name, label=f.label)
        return {code: text for code, text in texts.items() if text}
    raw = _text(f, form.get(f.name, ""))
    if not raw:
        if f.required:
            raise Missing(f.name, label=f.label)
        return None if f.kind in (CHOICE, TIME, DATE, DATETIME, NUMBER) else ""
    return _typed(f, raw)


def _text(f: Field, raw: Any) -> str:
    """The input as text, trimmed (a password is taken exactly as typed)."""
    text = str(raw) if f.kind == PASSWORD else str(raw).strip()
    if f.max_length and len(text) > f.max_length:
        raise TooLong(f.name, label=f.label, length=f.max_length)
    return text


def _typed(f: Field, raw: str) -> Any:
    if f.kind == CHOICE:
        if raw not in {value for value, _ in f.choices}:
            raise BadChoice(f.name, label=f.label)
        return raw
    if f.kind == NUMBER:
        try:
            number = int(raw)
        except ValueError:
            number = f.low - 1
        if not f.low <= number <= f.high:
            raise OutOfRange(f.name, label=f.label, low=f.low, high=f.high)
        return number
    try:
        return PARSERS.get(f.kind, _as_text)(f, raw)
    except (ValueError, ZoneInfoNotFoundError) as error:
        raise BadFormat(f.name, label=f.label, example=f.example or "…") from error


def _as_text(f: Field, raw: str) -> str:
    pattern = {SLUG: SLUG_PATTERN, EMAIL: EMAIL_PATTERN}.get(f.kind)
    if pattern and not pattern.match(raw):
        raise ValueError(raw)
    return raw


def _emails(f: Field, raw: str) -> list[str]:
    """Each address once, in the order given; one malformed address refuses them all."""
    found = [a for a in re.split(r"[\s,;]+", raw) if a]
    for address in found:
        if len(address) > 254 or not EMAIL_PATTERN.match(address):
            raise BadFormat(f.name, label=f.label, example=f.example or "…")
    return list(dict.fromkeys(found))


def _as_zone(_: Field, raw: str) -> str:
    zone(raw)
    return raw


def _as_time(_: Field, raw: str) -> time:
    """A weekly pattern is the point's wall clock; an offset would mean something else."""
    value = time.fromisoformat(raw)
    if value.tzinfo is not None:
        raise ValueError("times are local to the point")
    return value


def _as_date(_: Field, raw: str) -> date:
    return _in_years(date.fromisoformat(raw))


def _as_datetime(_: Field, raw: str) -> datetime:
    """Either a wall-clock time at the point (as a browser sends it) or an instant with an
    offset; ``local_to_utc`` makes an instant of both."""
    return _in_years(datetime.fromisoformat(raw))


def _in_years(value: D) -> D:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError("year out of range")
    return value


PARSERS: dict[str, Callable[[Field, str], Any]] = {
    ZONE: _as_zone,
    TIME: _as_time,
    DATE: _as_date,
    DATETIME: _as_datetime,
}


def in_order(earlier: Field, first: Any, later: Field, last: Any, strict: bool = True) -> None:
    """Closing after opening, an end after its start (either may be absent)."""
    if first is not None and last is not None and (first >= last if strict else first > last):
        raise Reversed(later.name, earlier=earlier.label, later=later.label)


def local_to_utc(value: datetime, timezone: str) -> datetime:
    """An instant, from a wall-clock date and time at a point (a time in the spring gap
    means the moment the clocks jump, see wall_to_utc) or from a time with an offset. No
    naive datetime reaches the database."""
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    return wall_to_utc(value.date(), value.time(), zone(timezone))


def no_values() -> MultiDict:
    return MultiDict()


def values_of(pairs: Iterable[tuple[str, Any]]) -> MultiDict:
    """Form values from a record: checkboxes as "on", lists as repeated names, texts per
    language as ``name_code``, times and dates in the inputs' formats."""
    shown: list[tuple[str, str]] = []
    for name, value in pairs:
        if isinstance(value, bool):
            shown += [(name, "on")] if value else []
        elif isinstance(value, (list, tuple)):
            shown += [(name, str(v)) for v in value]
        elif isinstance(value, dict):
            shown += [(part(name, code), str(text)) for code, text in value.items() if text]
        elif isinstance(value, time):
            shown.append((name, value.strftime("%H:%M")))
        elif value is not None:
            shown.append((name, str(value)))
    return MultiDict(shown)


def weekday_choices() -> tuple[tuple[str, str], ...]:
    names = get_day_names("wide", locale=current_language.get())
    return tuple((str(day), names[day]) for day in range(7))


def choices(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((value, gettext(label)) for value, label in labels.items())


def hours_fields(opens: str, closes: str) -> tuple[Field, Field]:
    """A pair of wall-clock times, labelled for opening hours or for working hours."""
    return (
        Field(opens, gettext("From"), TIME, required=True, example="09:00"),
        Field(closes, gettext("Until"), TIME, required=True, example="17:00"),
    )


def season_fields() -> tuple[Field, Field]:
    return (
        Field("valid_from", gettext("Valid from"), DATE, example="2026-12-01"),
        Field("valid_to", gettext("Valid until"), DATE, example="2027-03-31"),
    )


def checked_interval(fields: Sequence[Field], form: Values, start: str, end: str) -> dict[str, Any]:
    """Reads ``fields`` and checks that ``end`` comes after ``start`` and that a season
    (``valid_from``, ``valid_to``), if any, does not end before it begins."""
    got = read(fields, form)
    named = {f.name: f for f in fields}
    in_order(named[start], got[start], named[end], got[end])
    if "valid_from" in named:
        in_order(named["valid_from"], got["valid_from"], named["valid_to"], got["valid_to"], False)
    return got
