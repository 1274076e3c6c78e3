"""What a point's or a topic's share card says, in the page's language.

The title names the point (or the topic), the description leads with the next evening
opening: what a shift worker scrolling a Facebook group needs to decide. Every URL is
absolute at the public base URL, as link previews require.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from babel.core import get_global
from babel.dates import format_date

from booking.domain.opening_hours import WallHours
from booking.domain.opening_status import next_evening
from booking.i18n import current_language, gettext, names_in
from booking.services.point_setup import PointSetup, TopicInfo
from booking.web.share_cards.picture import HEIGHT, WIDTH, card_path


@dataclass(frozen=True, slots=True)
class ShareCard:
    """The Open Graph (and Twitter) tags of one page."""

    title: str
    description: str
    url: str
    image: str
    locale: str
    width: int = WIDTH
    height: int = HEIGHT


#: Where CLDR's likeliest territory is not the readers': the demo's Portuguese is European.
TERRITORIES = {"pt": "PT"}


def og_locale(language: str) -> str:
    """Open Graph's language_TERRITORY (``pl`` -> ``pl_PL``) from CLDR's likely subtags."""
    if language in TERRITORIES:
        return f"{language}_{TERRITORIES[language]}"
    likely = get_global("likely_subtags").get(language, language).split("_")
    territory = next((p for p in likely[1:] if p.isupper() and len(p) == 2), "")
    return f"{language}_{territory}" if territory else language


def _evening(day: date, hours: WallHours, language: str) -> dict[str, str]:
    return {
        "day": format_date(day, "EEE", locale=language),
        "start": f"{hours.opens:%H:%M}",
        "end": f"{hours.closes:%H:%M}",
    }


def _card(base_url: str, path: str, title: str, parts: Iterable[str]) -> ShareCard:
    return ShareCard(
        title=title,
        description=" · ".join(p for p in parts if p),
        url=f"{base_url}{path}",
        image=f"{base_url}{card_path()}",
        locale=og_locale(current_language.get()),
    )


def point_card(base_url: str, path: str, setup: PointSetup, now: datetime) -> ShareCard:
    """The point, its next evening opening ("Open Tue 17:00–21:00") and its description."""
    language = current_language.get()
    point = setup.point
    found = next_evening(setup.hours, point.tz, now)
    evening = (
        gettext("Open %(day)s %(start)s–%(end)s", **_evening(*found, language)) if found else ""
    )
    return _card(
        base_url, path, point.name_in(language), (evening, names_in(point.description, language))
    )


def topic_card(
    base_url: str, path: str, topic: TopicInfo, setups: Iterable[PointSetup], now: datetime
) -> ShareCard:
    """The topic, the soonest evening opening among the points, and the topic's text."""
    language = current_language.get()
    evenings = [
        (found, setup.point.name_in(language))
        for setup in setups
        if (found := next_evening(setup.hours, setup.point.tz, now))
    ]
    evening = ""
    if evenings:
        (day, hours), point = min(evenings, key=lambda e: (e[0][0], e[0][1].opens, e[1]))
        evening = gettext(
            "Open %(day)s %(start)s–%(end)s: %(point)s",
            point=point,
            **_evening(day, hours, language),
        )
    return _card(
        base_url,
        path,
        names_in(topic.name, language),
        (evening, names_in(topic.description, language)),
    )
