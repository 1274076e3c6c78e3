"""The kiosk (a tablet at the door, no login: its link's token is the key) and the
waiting-room screen (numbers and desks only, refreshed by a meta refresh, no script)."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from booking.domain.errors import N_, InvalidInput, UnknownPoint
from booking.domain.languages import SERVICE_LANGUAGES
from booking.domain.policy import Policy
from booking.domain.queue import rounded_minutes
from booking.i18n import gettext, language_name
from booking.services.point_setup import Catalog, PointInfo, current_revision
from booking.services.queue import entries, kiosk, turns
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.language import DEFAULT_LANGUAGE_OPT
from booking.web.staff.desk import Form, number, topic_names
from booking.web.steps import check_language
from booking.web.templating import page
from booking.worker import InProcess

#: The kiosk goes back to the language picker after showing a number this long (seconds).
KIOSK_RESET = 45
#: The waiting-room screen reloads itself this often (seconds).
SCREEN_REFRESH = 10
PHONE_MAX = 32
NO_ESTIMATE = N_("We cannot estimate the wait right now. Please stay nearby.")


async def _point(catalog: Catalog, point_id: int) -> PointInfo:
    point = (await catalog.point_infos(await current_revision())).get(point_id)
    if point is None or not point.active:
        raise UnknownPoint("point")
    return point


class QueuePages(Controller):
    path = "/"
    include_in_schema = False

    @get("/kiosk/{token:str}")
    async def languages(self, request: Request, token: FromPath[str]) -> Template:
        """First the language: each named in itself, as big buttons."""
        await kiosk.point_of(token)
        return page(
            request,
            "queue/kiosk_languages.html",
            token=token,
            choices=[(code, language_name(code)) for code in SERVICE_LANGUAGES],
        )

    @get("/kiosk/{token:str}/{lang:str}")
    async def form(
        self,
        request: Request,
        token: FromPath[str],
        lang: FromPath[str],
        catalog: NamedDependency[Catalog],
    ) -> Template:
        check_language(lang)
        await _point(catalog, await kiosk.point_of(token))
        return self._form(request, token, lang, await topic_names(catalog))

    def _form(
        self,
        request: Request,
        token: str,
        lang: str,
        topics: dict[int, str],
        *,
        error: str | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "queue/kiosk_form.html",
            status_code=status_code,
            token=token,
            topics=topics,
            error=error,
        )

    @post("/kiosk/{token:str}/{lang:str}")
    async def join(
        self,
        request: Request,
        token: FromPath[str],
        lang: FromPath[str],
        data: Form,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Template:
        check_language(lang)
        point = await _point(catalog, await kiosk.point_of(token))
        phone = data.get("phone", "").strip()
        try:
            if len(phone) > PHONE_MAX:
                raise InvalidInput("phone")
            joined = await entries.join(
                catalog,
                policy,
                point,
                topic_id=number(data.get("topic")),
                language=lang,
                phone=phone or None,
                now=clock(),
            )
        except InvalidInput as error:
            return self._form(
                request,
                token,
                lang,
                await topic_names(catalog),
                error=gettext(error.message, **error.params),
                status_code=400,
            )
        worker.wake()
        return page(
            request,
            "queue/kiosk_joined.html",
            token=token,
            number=joined.number,
            minutes=None if joined.wait is None else rounded_minutes(joined.wait),
            no_estimate=gettext(NO_ESTIMATE),
            texted=bool(phone),
            reset=KIOSK_RESET,
        )

    @get("/screen/{point_id:int}", opt={DEFAULT_LANGUAGE_OPT: "nl"})
    async def screen(
        self,
        request: Request,
        point_id: PathId,
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Template:
        point = await _point(catalog, point_id)
        shown, waiting = await turns.board(point, clock())
        return page(
            request,
            "queue/screen.html",
            point=point,
            latest=shown[0] if shown else None,
            earlier=shown[1:],
            waiting=waiting,
            refresh=SCREEN_REFRESH,
        )
