"""Languages of the interface: catalogs, negotiation, and locale-aware dates (DOMAIN.md rule 5).

Catalogs are the ``.po`` files under locale/, compiled in memory when first used, so there
is no build step and no stale ``.mo``. English is the source language of every text.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from datetime import datetime, tzinfo
from functools import cache
from io import BytesIO
from typing import Any

from babel import Locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from booking.settings import PROJECT_ROOT

LOCALE_DIR = PROJECT_ROOT / "locale"
DOMAIN = "messages"
#: Strings only staff read (booking/message_catalogs.py says which), in their own catalogs.
STAFF_DOMAIN = "staff"
#: Languages the pages, texts and errors are written in: every service language and Arabic
#: (status holders); English is the source.
UI_LANGUAGES: tuple[str, ...] = (
    "nl", "en", "pl", "ro", "bg", "uk", "lt", "lv", "hu", "sk", "cs", "pt", "es", "ru", "tr", "ar",
)  # fmt: skip
#: Languages the staff screens are written in; a staff member chooses one of these.
STAFF_LANGUAGES: tuple[str, ...] = ("nl", "en", "pl", "ro", "bg", "uk")
#: Languages written right to left; their pages get ``dir="rtl"``.
RTL_LANGUAGES: frozenset[str] = frozenset({"ar"})
#: Languages place data (point names, stops, topic texts) is kept and edited in: the same.
DATA_LANGUAGES: tuple[str, ...] = UI_LANGUAGES
DEFAULT_LANGUAGE = "en"
FALLBACKS: tuple[str, ...] = ("en", "nl")

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def _catalog(language: str, domain: str) -> Translations | None:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return None
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=domain)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=domain)


@cache
def translations(language: str) -> NullTranslations:
    """Both catalogs of ``language``, public and staff, as one; a missing string falls back
    to its English source text.

    English is complete by construction, so interface texts never need the Dutch fallback;
    data fields with their own translations do (see ``names_in``).
    """
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    public, staff = _catalog(language, DOMAIN), _catalog(language, STAFF_DOMAIN)
    if public is None:
        return staff or NullTranslations()
    return public.merge(staff) if staff is not None else public


def gettext(message: str, language: str | None = None, /, **params: Any) -> str:
    """``message`` in ``language`` (default: the request's), with %(name)s params filled in."""
    text = translations(language or current_language.get()).gettext(message)
    return text % params if params else text


def ngettext(
    singular: str, plural: str, n: int, language: str | None = None, /, **params: Any
) -> str:
    text = translations(language or current_language.get()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


def ui_language(code: str | None) -> str | None:
    """``code`` if the interface speaks it (``pl-PL`` counts as ``pl``), else None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in UI_LANGUAGES else None


def accept_language(header: str | None) -> list[str]:
    """Language tags of an Accept-Language header, most preferred first."""
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(*explicit: str | None, accept: str | None = None) -> str:
    """First supported explicit choice (URL, query, cookie), then Accept-Language, else English."""
    for candidate in (*explicit, *accept_language(accept)):
        if language := ui_language(candidate):
            return language
    return DEFAULT_LANGUAGE


def text_direction(code: str) -> str:
    """``rtl`` or ``ltr``, for the ``dir`` attribute of a page in ``code``."""
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def language_name(code: str) -> str:
    """A language named in itself and its own script: ``polski``, ``українська``."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def format_instant(
    instant: datetime, tz: tzinfo, language: str | None = None, pattern: str = "full_short"
) -> str:
    """An instant in ``tz`` for a reader of ``language``, e.g. "wtorek, 1 grudnia 2026, 18:30"."""
    formats = {
        "full_short": "EEEE, d MMMM y, HH:mm",
        "day": "EEEE d MMMM",
        "time": "HH:mm",
    }
    return format_datetime(
        instant, formats.get(pattern, pattern), tzinfo=tz, locale=language or current_language.get()
    )


def names_in(texts: Mapping[str, str] | None, language: str, plain: str = "") -> str:
    """A translated data field (topic name, point text) in ``language`` with the fallbacks.

    ``plain`` is the untranslated column beside it (a point's or stop's name as staff know
    it): shown when neither the language, English nor Dutch is filled in.
    """
    texts = texts or {}
    for candidate in (language, *FALLBACKS):
        if texts.get(candidate):
            return texts[candidate]
    return plain or next(iter(texts.values()), "")
