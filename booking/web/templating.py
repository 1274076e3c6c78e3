"""Jinja with gettext and Babel: every page is written in the request's language.

The i18n extension is installed new-style with plain gettext/ngettext that read the
request's language from a ContextVar (PITFALLS.md: Jinja formats the parameters itself).
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from booking.domain.phone import masked
from booking.i18n import (
    STAFF_LANGUAGES,
    UI_LANGUAGES,
    current_language,
    format_instant,
    language_name,
    names_in,
    text_direction,
    translations,
)
from booking.notify.ical.handover_facts import language_name as named_in
from booking.settings import PROJECT_ROOT
from booking.web.language import LANGUAGE_COOKIE
from booking.web.stylesheet import STYLESHEET_PATH

TEMPLATES = PROJECT_ROOT / "templates"


def _gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def _when(instant: datetime, tz: tzinfo, pattern: str = "full_short") -> str:
    return format_instant(instant, tz, pattern=pattern)


def _day(day: date, pattern: str = "EEEE d MMMM") -> str:
    return format_date(day, pattern, locale=current_language.get())


def spoken(code: str) -> str:
    """A migrant's language as the reader calls it: ``pl`` is "Pools" in Dutch, "polski" in
    Polish (Babel's names)."""
    return named_in(code, current_language.get())


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _ltr(value: str) -> Markup:
    """A phone number, code or link kept left to right inside a right-to-left sentence."""
    return Markup('<bdi dir="ltr">%s</bdi>') % value


def _translated(texts: dict[str, str] | None) -> str:
    return names_in(texts, current_language.get())


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["stylesheet"] = STYLESHEET_PATH
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        when=_when,
        day=_day,
        hhmm=_hhmm,
        translated=_translated,
        masked=masked,
        language_name=language_name,
        direction=text_direction,
        ltr=_ltr,
        spoken=spoken,
    )
    env.globals["staff_languages"] = [(code, language_name(code)) for code in STAFF_LANGUAGES]
    return env


def template_config() -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))


def language_links(request: Request, current: str) -> list[dict[str, Any]]:
    """The language picker: this same page in every language, each named in itself."""
    path = request.url.path
    rest = (
        path[len(current) + 1 :]
        if path.startswith(f"/{current}/") or path == f"/{current}"
        else "/"
    )
    query = f"?{request.url.query}" if request.url.query else ""
    return [
        {
            "code": code,
            "name": language_name(code),
            "url": f"/{code}{rest or '/'}{query}",
            "current": code == current,
        }
        for code in UI_LANGUAGES
    ]


def page(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Template:
    """A page in the request's language, remembering the language in a cookie."""
    language = current_language.get()
    return Template(
        template_name=template,
        context={
            "lang": language,
            "languages": language_links(request, language),
            **context,
        },
        status_code=status_code,
        cookies=[
            Cookie(key=LANGUAGE_COOKIE, value=language, max_age=365 * 24 * 3600, samesite="lax")
        ],
    )


def redirect_see_other(url: str) -> Response:
    """After a form: the browser loads the next page with GET (post/redirect/get)."""
    return Response(content=b"", status_code=303, headers={"Location": url})
