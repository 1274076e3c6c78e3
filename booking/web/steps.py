"""What each step of the migrant's booking shows: the point and topic behind a URL, the days
and times to choose from, and the pages that list them. Shared by the booking and the manage
pages."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from booking.domain.availability import Slot
from booking.domain.errors import NoSuchPoint, NoSuchTopic, NotFound
from booking.domain.opening_status import is_evening, is_weekend
from booking.domain.policy import Policy
from booking.i18n import current_language, gettext, names_in
from booking.services.point_setup import Catalog, PointInfo, PointSetup, TopicInfo, current_revision
from booking.services.slots import search_slots
from booking.web.bounds import supported
from booking.web.share_cards.tags import ShareCard
from booking.web.templating import page

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
DAYS_PER_PAGE = 28
NOON, EVENING_HOUR = 12, 17


def check_language(lang: str) -> str:
    """A page URL must start with a language the pages speak."""
    if lang != current_language.get():
        raise NotFound("lang")
    return lang


async def topic_by_slug(catalog: Catalog, slug: str) -> TopicInfo:
    topics = await catalog.topics(await current_revision())
    topic = next((t for t in topics.values() if t.slug == slug), None)
    if topic is None:
        raise NoSuchTopic("topic")
    return topic


async def point_by_slug(catalog: Catalog, slug: str) -> PointInfo:
    points = await catalog.point_infos(await current_revision())
    point = next((p for p in points.values() if p.slug == slug and p.active), None)
    if point is None:
        raise NoSuchPoint("point")
    return point


async def setup_of(catalog: Catalog, policy: Policy, point: PointInfo, now: datetime) -> PointSetup:
    today = policy.today(now)
    setup = await catalog.point(
        point.id, await current_revision(), today, today, today, policy.horizon_days
    )
    if setup is None:
        raise NoSuchPoint("point")
    return setup


def place_text(setup: PointSetup, day: date) -> str:
    """Where the migrant goes (or that we call them), in the page's language."""
    point = setup.point
    if point.kind == "phone":
        return gettext("We call you at the time you chose. Keep your phone with you.")
    if point.kind == "video":
        return gettext("A video call. You receive the link by text message.")
    if point.kind == "mobile":
        visit = setup.visit_on(day)
        if visit is not None:
            stop = visit.place_in(current_language.get())
            return ", ".join(
                filter(None, (point.name_in(current_language.get()), stop, visit.address))
            )
    return ", ".join(
        filter(None, (point.name_in(current_language.get()), point.address, point.city))
    )


def directions_text(setup: PointSetup, day: date) -> str:
    """How to find the door, or where exactly the bus stands that day, in the page's language."""
    point = setup.point
    if point.kind == "mobile":
        visit = setup.visit_on(day)
        return names_in(visit.directions, current_language.get()) if visit else ""
    return names_in(point.directions, current_language.get())


def heading(topic: TopicInfo, point: PointInfo) -> str:
    """The topic and the point, in the page's language."""
    language = current_language.get()
    return f"{names_in(topic.name, language)} · {point.name_in(language)}"


def day_choices(slots: list[Slot], setup: PointSetup, url: str) -> list[dict[str, Any]]:
    by_day: dict[date, list[Slot]] = defaultdict(list)
    tz = setup.point.tz
    for slot in slots:
        by_day[slot.start.astimezone(tz).date()].append(slot)
    return [
        {
            "day": day,
            "count": len(found),
            "first": found[0].start.astimezone(tz).time(),
            "evening": any(is_evening(s.start, tz) for s in found),
            "weekend": is_weekend(day),
            "url": f"{url}/{day.isoformat()}",
        }
        for day, found in sorted(by_day.items())
    ]


def time_groups(slots: list[Slot], setup: PointSetup, url: str) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {"morning": [], "afternoon": [], "evening": []}
    tz = setup.point.tz
    for slot in slots:
        hour = slot.start.astimezone(tz).hour
        part = "morning" if hour < NOON else "afternoon" if hour < EVENING_HOUR else "evening"
        start = quote(slot.start.astimezone(tz).isoformat())
        groups[part].append({"start": slot.start, "url": f"{url}{start}"})
    return groups


def parse_day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise NotFound("day") from None
    return supported(day, "day")


def parse_start(text: str | None) -> datetime | None:
    try:
        start = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return supported(start, "start") if start.tzinfo is not None else None


async def days_page(
    request: Request,
    catalog: Catalog,
    policy: Policy,
    *,
    setup: PointSetup,
    topic: TopicInfo,
    first: date,
    now: datetime,
    url: str,
    back_url: str,
    share: ShareCard | None = None,
    wait_url: str | None = None,
) -> Template:
    """Days with free slots, four weeks at a time; shared by booking and moving (whose
    pages, behind a manage link, have no ``share`` card and no link to the waiting list,
    ``wait_url``)."""
    today = policy.today(now)
    first = min(max(first, today), today + timedelta(days=policy.horizon_days))
    last = first + timedelta(days=DAYS_PER_PAGE - 1)
    _, found = await search_slots(
        catalog,
        policy,
        point_id=setup.point.id,
        topic_id=topic.id,
        language=current_language.get(),
        first=first,
        last=last,
        now=now,
    )
    later = last + timedelta(days=1)
    return page(
        request,
        "days.html",
        days=day_choices(found, setup, url),
        heading=heading(topic, setup.point),
        back_url=back_url,
        share=share,
        wait_url=wait_url,
        later_url=f"{url}?from={later.isoformat()}"
        if later <= today + timedelta(days=policy.horizon_days)
        else None,
    )


async def times_page(
    request: Request,
    catalog: Catalog,
    policy: Policy,
    *,
    setup: PointSetup,
    topic: TopicInfo,
    day: date,
    now: datetime,
    url: str,
    back_url: str,
    error: str | None = None,
    status_code: int = 200,
) -> Template:
    """The free times of one day, shared by booking and moving; each links to ``url``+start."""
    _, found = await search_slots(
        catalog,
        policy,
        point_id=setup.point.id,
        topic_id=topic.id,
        language=current_language.get(),
        first=day,
        last=day,
        now=now,
    )
    return page(
        request,
        "times.html",
        status_code=status_code,
        day=day,
        tz=setup.point.tz,
        groups=time_groups(found, setup, url),
        heading=heading(topic, setup.point),
        back_url=back_url,
        error=error,
    )
