"""The migrant's booking pages: topic, point, day, time, phone number (issue 3).

Plain HTML forms, no JavaScript; every page is in the language of its URL prefix.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Response, Template

from booking.domain.availability import Slot
from booking.domain.errors import (
    InvalidInput,
    LimitReached,
    NotFound,
    SlotNotOffered,
    SlotTaken,
    UnknownPoint,
    UnknownTopic,
)
from booking.domain.opening_status import is_evening, is_weekend, opening_status
from booking.domain.policy import Policy
from booking.i18n import current_language, gettext, names_in, negotiate
from booking.services import appointments
from booking.services.appointments import BookingRequest
from booking.services.point_setup import Catalog, PointInfo, PointSetup, TopicInfo, current_revision
from booking.services.slots import search_slots
from booking.web.context import Clock
from booking.web.language import LANGUAGE_COOKIE
from booking.web.templating import page, redirect_see_other
from booking.worker import InProcess

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
        raise UnknownTopic("topic")
    return topic


async def point_by_slug(catalog: Catalog, slug: str) -> PointInfo:
    points = await catalog.point_infos(await current_revision())
    point = next((p for p in points.values() if p.slug == slug and p.active), None)
    if point is None:
        raise UnknownPoint("point")
    return point


async def setup_of(catalog: Catalog, policy: Policy, point: PointInfo, now: datetime) -> PointSetup:
    today = policy.today(now)
    setup = await catalog.point(
        point.id, await current_revision(), today, today, today, policy.horizon_days
    )
    if setup is None:
        raise UnknownPoint("point")
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
            return ", ".join(filter(None, (point.name, visit.place, visit.address)))
    return ", ".join(filter(None, (point.name, point.address, point.city)))


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
        return date.fromisoformat(text)
    except ValueError:
        raise NotFound("day") from None


def parse_start(text: str | None) -> datetime | None:
    try:
        start = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return start if start.tzinfo is not None else None


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
) -> Template:
    """Days with free slots, four weeks at a time; shared by booking and moving."""
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
        heading=f"{names_in(topic.name, current_language.get())} · {setup.point.name}",
        back_url=back_url,
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
        heading=f"{names_in(topic.name, current_language.get())} · {setup.point.name}",
        back_url=back_url,
        error=error,
    )


class BookingPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/", name="root")
    async def root(self, request: Request) -> Redirect:
        language = negotiate(
            request.query_params.get("lang"),
            request.cookies.get(LANGUAGE_COOKIE),
            accept=request.headers.get("accept-language"),
        )
        return Redirect(f"/{language}/")

    @get("/{lang:str}")
    async def home(
        self, request: Request, lang: FromPath[str], catalog: NamedDependency[Catalog]
    ) -> Template:
        check_language(lang)
        topics = await catalog.topics(await current_revision())
        return page(
            request, "home.html", topics=sorted(topics.values(), key=lambda t: (t.position, t.id))
        )

    @get("/{lang:str}/t/{topic_slug:str}")
    async def points(
        self,
        request: Request,
        lang: FromPath[str],
        topic_slug: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        check_language(lang)
        topic = await topic_by_slug(catalog, topic_slug)
        now = clock()
        today = policy.today(now)
        infos = await catalog.point_infos(await current_revision())
        kinds = {"physical": 0, "mobile": 1, "phone": 2, "video": 3}
        cards = []
        for info in sorted(
            (p for p in infos.values() if p.active), key=lambda p: (kinds.get(p.kind, 9), p.name)
        ):
            setup = await setup_of(catalog, policy, info, now)
            cards.append(
                {
                    "point": info,
                    "status": opening_status(setup.hours, info.tz, now),
                    "visits": [v for v in setup.visits if v.day >= today][:3],
                }
            )
        return page(request, "points.html", topic=topic, cards=cards)

    @get("/{lang:str}/t/{topic_slug:str}/p/{point_slug:str}")
    async def days(
        self,
        request: Request,
        lang: FromPath[str],
        topic_slug: FromPath[str],
        point_slug: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        check_language(lang)
        topic = await topic_by_slug(catalog, topic_slug)
        now = clock()
        setup = await setup_of(catalog, policy, await point_by_slug(catalog, point_slug), now)
        first = request.query_params.get("from")
        return await days_page(
            request,
            catalog,
            policy,
            setup=setup,
            topic=topic,
            first=parse_day(first) if first else policy.today(now),
            now=now,
            url=f"/{lang}/t/{topic_slug}/p/{point_slug}",
            back_url=f"/{lang}/t/{topic_slug}",
        )

    @get("/{lang:str}/t/{topic_slug:str}/p/{point_slug:str}/{day:str}")
    async def times(
        self,
        request: Request,
        lang: FromPath[str],
        topic_slug: FromPath[str],
        point_slug: FromPath[str],
        day: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        check_language(lang)
        topic = await topic_by_slug(catalog, topic_slug)
        now = clock()
        setup = await setup_of(catalog, policy, await point_by_slug(catalog, point_slug), now)
        base = f"/{lang}/t/{topic_slug}/p/{point_slug}"
        return await times_page(
            request,
            catalog,
            policy,
            setup=setup,
            topic=topic,
            day=parse_day(day),
            now=now,
            url=f"{base}/book?start=",
            back_url=base,
        )

    @get("/{lang:str}/t/{topic_slug:str}/p/{point_slug:str}/book")
    async def details(
        self,
        request: Request,
        lang: FromPath[str],
        topic_slug: FromPath[str],
        point_slug: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        check_language(lang)
        topic = await topic_by_slug(catalog, topic_slug)
        setup = await setup_of(catalog, policy, await point_by_slug(catalog, point_slug), clock())
        start = parse_start(request.query_params.get("start"))
        if start is None:
            return Redirect(f"/{lang}/t/{topic_slug}/p/{point_slug}")
        return self._form(request, lang, topic, setup, start)

    def _form(
        self,
        request: Request,
        lang: FromPath[str],
        topic: TopicInfo,
        setup: PointSetup,
        start: datetime,
        *,
        error: str | None = None,
        status_code: int = 200,
        values: dict[str, str] | None = None,
    ) -> Template:
        tz = setup.point.tz
        base = f"/{lang}/t/{topic.slug}/p/{setup.point.slug}"
        return page(
            request,
            "details.html",
            status_code=status_code,
            topic=topic,
            start=start.astimezone(tz),
            tz=tz,
            place=place_text(setup, start.astimezone(tz).date()),
            action=f"{base}/book",
            back_url=f"{base}/{start.astimezone(tz).date().isoformat()}",
            error=error,
            phone=(values or {}).get("phone", ""),
            first_name=(values or {}).get("first_name", ""),
        )

    @post("/{lang:str}/t/{topic_slug:str}/p/{point_slug:str}/book")
    async def hold(
        self,
        request: Request,
        lang: FromPath[str],
        topic_slug: FromPath[str],
        point_slug: FromPath[str],
        data: FormData,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Template | Response:
        check_language(lang)
        topic = await topic_by_slug(catalog, topic_slug)
        now = clock()
        setup = await setup_of(catalog, policy, await point_by_slug(catalog, point_slug), now)
        start = parse_start(data.get("start"))
        if start is None:
            return redirect_see_other(f"/{lang}/t/{topic_slug}/p/{point_slug}")
        request_ = BookingRequest(
            point_id=setup.point.id,
            topic_id=topic.id,
            language=lang,
            start=start,
            phone=data.get("phone", "")[:64],
            first_name=data.get("first_name", "")[:200] or None,
        )
        client = request.client.host if request.client else None
        try:
            held = await appointments.book(catalog, policy, request_, now=now, client=client)
        except (SlotTaken, SlotNotOffered) as error:
            base = f"/{lang}/t/{topic_slug}/p/{point_slug}"
            return await times_page(
                request,
                catalog,
                policy,
                setup=setup,
                topic=topic,
                day=start.astimezone(setup.point.tz).date(),
                now=now,
                url=f"{base}/book?start=",
                back_url=base,
                error=gettext(error.message, **error.params),
                status_code=409 if isinstance(error, SlotTaken) else 422,
            )
        except (InvalidInput, LimitReached) as error:
            return self._form(
                request,
                lang,
                topic,
                setup,
                start,
                error=gettext(error.message, **error.params),
                status_code=429 if isinstance(error, LimitReached) else 422,
                values=data,
            )
        worker.wake()
        return redirect_see_other(f"/{lang}/m/{held.manage_token}/code")
