"""The waiting list's pages: join from a point's days, enter the code, book or let pass an
offered time from the text's link, leave the list (issue 17).

Plain forms like the booking flow; the entry's and the offer's tokens are the only keys.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from booking.domain.errors import N_, InvalidInput, LimitReached, LoketError, OfferEnded
from booking.domain.policy import Policy
from booking.domain.waitlist import PRESETS, from_presets
from booking.i18n import gettext
from booking.services.point_setup import Catalog
from booking.services.waitlist import joining, offers
from booking.services.waitlist.joining import MAX_WEEKS, JoinRequest
from booking.web.context import Clock
from booking.web.language import link_language
from booking.web.steps import FormData, check_language, point_by_slug, topic_by_slug
from booking.web.templating import page, redirect_see_other
from booking.worker import InProcess

NO_WINDOW = N_("Please choose at least one time that suits you.")
LEFT = N_("You are no longer on the waiting list.")
PASSED = N_("The time is free for the next person. You stay on the waiting list.")


class WaitlistPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/{lang:str}/t/{topic_slug:str}/p/{point_slug:str}/wait")
    async def form(
        self,
        request: Request,
        lang: FromPath[str],
        topic_slug: FromPath[str],
        point_slug: FromPath[str],
        catalog: NamedDependency[Catalog],
    ) -> Template:
        check_language(lang)
        topic = await topic_by_slug(catalog, topic_slug)
        point = await point_by_slug(catalog, point_slug)
        return _form(request, lang, topic, point)

    @post("/{lang:str}/t/{topic_slug:str}/p/{point_slug:str}/wait")
    async def join(
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
        point = await point_by_slug(catalog, point_slug)
        chosen = [name for name in PRESETS if data.get(name)]
        try:
            if not chosen:
                raise InvalidInput("windows")
            joined = await joining.join(
                catalog,
                policy,
                JoinRequest(
                    phone=data.get("phone", "")[:64],
                    language=lang,
                    topic_id=topic.id,
                    windows=from_presets(chosen),
                    weeks=_weeks(data.get("weeks", "")),
                    point_id=point.id,
                ),
                now=clock(),
            )
        except (InvalidInput, LimitReached) as error:
            message = NO_WINDOW if error.field == "windows" else error.message
            return _form(
                request,
                lang,
                topic,
                point,
                error=gettext(message, **error.params),
                status_code=429 if isinstance(error, LimitReached) else 422,
                data=data,
            )
        worker.wake()
        return redirect_see_other(f"/{lang}/w/{joined.token}")

    @get("/{lang:str}/w/{token:str}")
    async def entry(self, request: Request, lang: FromPath[str], token: FromPath[str]) -> Template:
        check_language(lang)
        row = await joining.entry(token)
        notice = LEFT if row["status"] == "left" else None
        return _entry_page(request, lang, token, row, notice=notice)

    @post("/{lang:str}/w/{token:str}/code")
    async def code(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        data: FormData,
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template | Response:
        check_language(lang)
        try:
            await joining.verify(policy, token, data.get("code", "")[:12], now=clock())
        except LoketError as error:
            row = await joining.entry(token)
            message = gettext(error.message, **error.params)
            return _entry_page(request, lang, token, row, error=message, status_code=422)
        return redirect_see_other(f"/{lang}/w/{token}")

    @post("/{lang:str}/w/{token:str}/leave")
    async def leave(
        self, lang: FromPath[str], token: FromPath[str], clock: NamedDependency[Clock]
    ) -> Response:
        return await _step(lang, token, joining.leave, clock(), f"/{lang}/w/{token}")

    @get("/o/{token:str}")
    async def link(
        self, request: Request, token: FromPath[str], catalog: NamedDependency[Catalog]
    ) -> Redirect:
        """The offer's link opens in the language the person joined the list in."""
        appointment, _, _ = await offers.offer_view(catalog, token)
        return Redirect(f"/{link_language(request, appointment.language)}/o/{token}")

    @get("/{lang:str}/o/{token:str}")
    async def offer(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Template:
        check_language(lang)
        notice = {"passed": PASSED, "left": LEFT}.get(request.query_params.get("done", ""))
        return await _offer_page(request, catalog, lang, token, clock(), notice=notice)

    @post("/{lang:str}/o/{token:str}/book")
    async def book(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Template | Response:
        check_language(lang)
        try:
            await offers.book(catalog, policy, token, now=clock())
        except OfferEnded as error:
            return await _offer_page(
                request, catalog, lang, token, clock(), error=gettext(error.message), status=409
            )
        worker.wake()
        return redirect_see_other(f"/{lang}/m/{token}?new")

    @post("/{lang:str}/o/{token:str}/pass")
    async def let_pass(
        self, lang: FromPath[str], token: FromPath[str], clock: NamedDependency[Clock]
    ) -> Response:
        return await _step(lang, token, offers.let_pass, clock(), f"/{lang}/o/{token}?done=passed")

    @post("/{lang:str}/o/{token:str}/leave")
    async def leave_from_offer(
        self, lang: FromPath[str], token: FromPath[str], clock: NamedDependency[Clock]
    ) -> Response:
        return await _step(lang, token, offers.leave, clock(), f"/{lang}/o/{token}?done=left")


async def _step(
    lang: str, token: str, step: Callable[..., Awaitable[object]], now: datetime, then: str
) -> Response:
    """A button behind a link that needs no answer but the next page: leave the list, or
    let an offered time pass."""
    check_language(lang)
    await step(token, now=now)
    return redirect_see_other(then)


def _weeks(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return MAX_WEEKS


def _form(
    request: Request,
    lang: str,
    topic,
    point,
    *,
    error: str | None = None,
    status_code: int = 200,
    data: dict | None = None,
) -> Template:
    values = data or {}
    return page(
        request,
        "waitlist/join.html",
        status_code=status_code,
        topic=topic,
        point=point,
        action=f"/{lang}/t/{topic.slug}/p/{point.slug}/wait",
        back_url=f"/{lang}/t/{topic.slug}/p/{point.slug}",
        chosen={name for name in PRESETS if values.get(name)} or {"evenings"},
        weeks=_weeks(values.get("weeks", "")),
        max_weeks=MAX_WEEKS,
        phone=values.get("phone", ""),
        error=error,
    )


def _entry_page(
    request: Request,
    lang: str,
    token: str,
    row: dict,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "waitlist/entry.html",
        status_code=status_code,
        entry=row,
        action=f"/{lang}/w/{token}",
        notice=gettext(notice) if notice else None,
        error=error,
    )


async def _offer_page(
    request: Request,
    catalog: Catalog,
    lang: str,
    token: str,
    now,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Template:
    appointment, offer_status, until = await offers.offer_view(catalog, token)
    return page(
        request,
        "waitlist/offer.html",
        status_code=status,
        appointment=appointment,
        tz=appointment.point.tz,
        live=offer_status == "live" and until > now,
        until=until,
        action=f"/{lang}/o/{token}",
        notice=gettext(notice) if notice else None,
        error=error,
    )
