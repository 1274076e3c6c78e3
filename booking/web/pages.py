"""The migrant's booking pages: topic, point, day, time, phone number (issue 3).

Plain HTML forms, no JavaScript; every page is in the language of its URL prefix.
"""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from booking.db.tables import MigrantContact
from booking.domain.errors import InvalidInput, LimitReached, SlotNotOffered, SlotTaken
from booking.domain.opening_status import opening_status
from booking.domain.policy import Policy
from booking.i18n import gettext, negotiate
from booking.services import appointments
from booking.services.appointments import BookingRequest
from booking.services.point_setup import Catalog, PointSetup, TopicInfo, current_revision
from booking.settings import Settings
from booking.web.context import Clock
from booking.web.language import LANGUAGE_COOKIE
from booking.web.share_cards.tags import point_card, topic_card
from booking.web.steps import (
    FormData,
    check_language,
    days_page,
    directions_text,
    parse_day,
    parse_start,
    place_text,
    point_by_slug,
    setup_of,
    times_page,
    topic_by_slug,
)
from booking.web.templating import page, redirect_see_other
from booking.worker import InProcess


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
        settings: NamedDependency[Settings],
    ) -> Template:
        check_language(lang)
        topic = await topic_by_slug(catalog, topic_slug)
        now = clock()
        today = policy.today(now)
        setups = []
        infos = await catalog.point_infos(await current_revision())
        kinds = {"physical": 0, "mobile": 1, "phone": 2, "video": 3}
        cards = []
        for info in sorted(
            (p for p in infos.values() if p.active), key=lambda p: (kinds.get(p.kind, 9), p.name)
        ):
            setup = await setup_of(catalog, policy, info, now)
            setups.append(setup)
            cards.append(
                {
                    "point": info,
                    "status": opening_status(setup.hours, info.tz, now),
                    "visits": [v for v in setup.visits if v.day >= today][:3],
                }
            )
        share = topic_card(settings.public_base_url, request.url.path, topic, setups, now)
        return page(request, "points.html", topic=topic, cards=cards, share=share)

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
        settings: NamedDependency[Settings],
    ) -> Template:
        check_language(lang)
        topic = await topic_by_slug(catalog, topic_slug)
        now = clock()
        setup = await setup_of(catalog, policy, await point_by_slug(catalog, point_slug), now)
        first = request.query_params.get("from")
        url = f"/{lang}/t/{topic_slug}/p/{point_slug}"
        return await days_page(
            request,
            catalog,
            policy,
            setup=setup,
            topic=topic,
            first=parse_day(first) if first else policy.today(now),
            now=now,
            url=url,
            back_url=f"/{lang}/t/{topic_slug}",
            share=point_card(settings.public_base_url, url, setup, now),
            wait_url=f"/{lang}/t/{topic_slug}/p/{point_slug}/wait",
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
            directions=directions_text(setup, start.astimezone(tz).date()),
            action=f"{base}/book",
            back_url=f"{base}/{start.astimezone(tz).date().isoformat()}",
            error=error,
            phone=(values or {}).get("phone", ""),
            first_name=(values or {}).get("first_name", ""),
            text_channel=(values or {}).get("text_channel", ""),
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
            text_channel=data.get("text_channel") or MigrantContact.SMS,
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
