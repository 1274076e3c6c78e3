"""Pages behind the manage link: enter the SMS code, see, cancel or move the appointment.

The link's token is the only key (DOMAIN.md rule 7); these pages are never cached and send
no referrer, so the token does not leak.
"""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from booking.db.tables import Appointment
from booking.domain.errors import (
    N_,
    AppointmentClosed,
    HoldEnded,
    LimitReached,
    LoketError,
    MovedByConsultant,
    SlotNotOffered,
    SlotTaken,
    WrongCode,
)
from booking.domain.policy import Policy
from booking.i18n import current_language, gettext, names_in, negotiate, ui_language
from booking.notify.ical.migrant import migrant_calendar
from booking.services import changes, verification, views
from booking.services.point_setup import Catalog, PointSetup
from booking.services.views import AppointmentView
from booking.settings import Settings
from booking.web.context import Clock
from booking.web.language import LANGUAGE_COOKIE
from booking.web.manage.handover import HandoverDetails, details
from booking.web.pages import (
    FormData,
    check_language,
    days_page,
    parse_day,
    parse_start,
    place_text,
    setup_of,
    times_page,
)
from booking.web.templating import page, redirect_see_other
from booking.worker import InProcess

RESENT = N_("We sent you a new code.")
MOVED = N_("Your appointment has a new time.")
CANCELLED = N_("Your appointment is cancelled. The time is free for someone else.")
ENDED_HEADING = N_("The time to confirm has ended")
START_AGAIN = N_("Choose a time again")


async def _context(
    catalog: Catalog, policy: Policy, token: str, now: datetime, *, moving: bool = False
) -> tuple[AppointmentView, PointSetup]:
    """The appointment and its point; ``moving``: refuses a handover, which staff move."""
    appointment = await views.get(catalog, token)
    if moving and appointment.channel == Appointment.HANDOVER:
        raise MovedByConsultant("start")
    return appointment, await setup_of(catalog, policy, appointment.point, now)


def _closed(request: Request, lang: str, token: str, error: LoketError) -> Template:
    return page(
        request,
        "message.html",
        status_code=409,
        heading=gettext("Your appointment"),
        message=gettext(error.message),
        next_url=f"/{lang}/m/{token}",
        next_label=gettext("Back"),
    )


class ManagePages(Controller):
    path = "/"
    include_in_schema = False

    @get("/m/{token:str}")
    async def link(
        self, request: Request, token: FromPath[str], catalog: NamedDependency[Catalog]
    ) -> Redirect:
        """The link from the text message opens in the language the appointment was booked in."""
        appointment = await views.get(catalog, token)
        language = ui_language(appointment.language) or negotiate(
            request.cookies.get(LANGUAGE_COOKIE), accept=request.headers.get("accept-language")
        )
        return Redirect(f"/{language}/m/{token}")

    @get("/m/{token:str}/appointment.ics")
    async def calendar_file(
        self,
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> Response:
        appointment, setup = await _context(catalog, policy, token, clock())
        language = ui_language(appointment.language) or "en"
        token_ = current_language.set(language)
        try:
            handover = await details(catalog, policy, appointment, setup)
            day = appointment.starts_at.astimezone(setup.point.tz).date()
            place = handover.where if handover else place_text(setup, day)
        finally:
            current_language.reset(token_)
        body = migrant_calendar(
            appointment_id=appointment.id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            timezone=setup.point.timezone,
            topic=names_in(appointment.topic.name, language),
            place=place,
            manage_url=policy.manage_url(token),
            public_base_url=settings.public_base_url,
            language=language,
            now=clock(),
        )
        return Response(
            body,
            media_type="text/calendar",
            headers={"Content-Disposition": 'attachment; filename="appointment.ics"'},
        )

    @get("/{lang:str}/m/{token:str}")
    async def manage(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        check_language(lang)
        appointment, setup = await _context(catalog, policy, token, clock())
        if appointment.status == "held":
            return Redirect(f"/{lang}/m/{token}/code")
        notice = {"moved": MOVED, "cancelled": CANCELLED}.get(request.query_params.get("done", ""))
        return self._show(
            request,
            "manage.html",
            appointment,
            setup,
            token,
            new="new" in request.query_params,
            notice=gettext(notice) if notice else None,
            link=policy.manage_url(token),
            handover=await details(catalog, policy, appointment, setup),
        )

    def _show(
        self,
        request: Request,
        template: str,
        appointment: AppointmentView,
        setup: PointSetup,
        token: FromPath[str],
        status_code: int = 200,
        handover: HandoverDetails | None = None,
        **context,
    ) -> Template:
        tz = setup.point.tz
        day = appointment.starts_at.astimezone(tz).date()
        return page(
            request,
            template,
            status_code=status_code,
            appointment=appointment,
            token=token,
            tz=tz,
            place=handover.where if handover else place_text(setup, day),
            handover=handover,
            **context,
        )

    @get("/{lang:str}/m/{token:str}/code")
    async def code_form(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        check_language(lang)
        now = clock()
        appointment, setup = await _context(catalog, policy, token, now)
        if appointment.status == "confirmed":
            return Redirect(f"/{lang}/m/{token}")
        if appointment.held_until is None or appointment.held_until <= now:
            return self._ended(request, lang, appointment)
        notice = gettext(RESENT) if "resent" in request.query_params else None
        return self._show(
            request, "code.html", appointment, setup, token, notice=notice, error=None
        )

    def _ended(self, request: Request, lang: str, appointment: AppointmentView) -> Template:
        return page(
            request,
            "message.html",
            status_code=409,
            heading=gettext(ENDED_HEADING),
            message=gettext(HoldEnded.message),
            next_url=f"/{lang}/t/{appointment.topic.slug}",
            next_label=gettext(START_AGAIN),
        )

    @post("/{lang:str}/m/{token:str}/code")
    async def code_check(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        data: FormData,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template | Response:
        check_language(lang)
        now = clock()
        try:
            await verification.verify(catalog, policy, token, data.get("code", "")[:12], now=now)
        except WrongCode as error:
            appointment, setup = await _context(catalog, policy, token, now)
            return self._show(
                request,
                "code.html",
                appointment,
                setup,
                token,
                status_code=422,
                notice=None,
                error=gettext(error.message),
            )
        except HoldEnded:
            return self._ended(request, lang, await views.get(catalog, token))
        return redirect_see_other(f"/{lang}/m/{token}?new")

    @post("/{lang:str}/m/{token:str}/resend")
    async def resend(
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
        now = clock()
        try:
            await verification.resend_code(policy, token, now=now)
        except HoldEnded:
            return self._ended(request, lang, await views.get(catalog, token))
        except LimitReached as error:
            appointment, setup = await _context(catalog, policy, token, now)
            return self._show(
                request,
                "code.html",
                appointment,
                setup,
                token,
                status_code=429,
                notice=None,
                error=gettext(error.message),
            )
        worker.wake()
        return redirect_see_other(f"/{lang}/m/{token}/code?resent")

    @get("/{lang:str}/m/{token:str}/cancel")
    async def cancel_form(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        check_language(lang)
        appointment, setup = await _context(catalog, policy, token, clock())
        return self._show(
            request,
            "confirm.html",
            appointment,
            setup,
            token,
            question=gettext("Do you want to cancel this appointment?"),
            confirm_label=gettext("Yes, cancel it"),
            action=f"/{lang}/m/{token}/cancel",
            new_start=None,
            handover=await details(catalog, policy, appointment, setup),
        )

    @post("/{lang:str}/m/{token:str}/cancel")
    async def cancel(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template | Response:
        check_language(lang)
        try:
            await changes.cancel(catalog, policy, token, now=clock())
        except (AppointmentClosed, HoldEnded) as error:
            return _closed(request, lang, token, error)
        return redirect_see_other(f"/{lang}/m/{token}?done=cancelled")

    @get("/{lang:str}/m/{token:str}/move")
    async def move_days(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        check_language(lang)
        now = clock()
        appointment, setup = await _context(catalog, policy, token, now, moving=True)
        first = request.query_params.get("from")
        return await days_page(
            request,
            catalog,
            policy,
            setup=setup,
            topic=appointment.topic,
            first=parse_day(first) if first else policy.today(now),
            now=now,
            url=f"/{lang}/m/{token}/move",
            back_url=f"/{lang}/m/{token}",
        )

    @get("/{lang:str}/m/{token:str}/move/{day:str}")
    async def move_times(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        day: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template | Template:
        check_language(lang)
        now = clock()
        appointment, setup = await _context(catalog, policy, token, now, moving=True)
        parsed = parse_day(day)
        start = parse_start(request.query_params.get("start"))
        if start is not None:
            return self._show(
                request,
                "confirm.html",
                appointment,
                setup,
                token,
                question=gettext("Do you want this new time?"),
                confirm_label=gettext("Yes, move my appointment"),
                action=f"/{lang}/m/{token}/move",
                new_start=start.astimezone(setup.point.tz),
            )
        return await times_page(
            request,
            catalog,
            policy,
            setup=setup,
            topic=appointment.topic,
            day=parsed,
            now=now,
            url=f"/{lang}/m/{token}/move/{parsed.isoformat()}?start=",
            back_url=f"/{lang}/m/{token}/move",
        )

    @post("/{lang:str}/m/{token:str}/move")
    async def move(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        data: FormData,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template | Response:
        check_language(lang)
        now = clock()
        start = parse_start(data.get("start"))
        if start is None:
            return redirect_see_other(f"/{lang}/m/{token}/move")
        try:
            await changes.reschedule(catalog, policy, token, start, now=now)
        except (SlotTaken, SlotNotOffered) as error:
            appointment, setup = await _context(catalog, policy, token, now)
            day = start.astimezone(setup.point.tz).date()
            return await times_page(
                request,
                catalog,
                policy,
                setup=setup,
                topic=appointment.topic,
                day=day,
                now=now,
                url=f"/{lang}/m/{token}/move/{day.isoformat()}?start=",
                back_url=f"/{lang}/m/{token}/move",
                error=gettext(error.message),
                status_code=409,
            )
        except (AppointmentClosed, HoldEnded, MovedByConsultant) as error:
            return _closed(request, lang, token, error)
        return redirect_see_other(f"/{lang}/m/{token}?done=moved")
