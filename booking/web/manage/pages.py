"""Pages behind the manage link: enter the SMS code, see or cancel the appointment (moving it:
move.py).

The link's token is the only key (DOMAIN.md rule 7); these pages are never cached and send
no referrer, so the token does not leak.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from booking.domain.errors import N_, AppointmentClosed, HoldEnded, LimitReached, WrongCode
from booking.domain.policy import Policy
from booking.i18n import current_language, gettext, names_in, ui_language
from booking.notify.ical.migrant import migrant_calendar
from booking.services import changes, verification, views
from booking.services.point_setup import Catalog
from booking.services.views import AppointmentView
from booking.settings import Settings
from booking.web.context import Clock
from booking.web.errors import error_text
from booking.web.language import link_language
from booking.web.manage.handover import details
from booking.web.manage.shared import appointment_and_setup, appointment_page, closed_page
from booking.web.steps import FormData, check_language, place_text
from booking.web.templating import page, redirect_see_other
from booking.worker import InProcess

RESENT = N_("We sent you a new code.")
MOVED = N_("Your appointment has a new time.")
CANCELLED = N_("Your appointment is cancelled. The time is free for someone else.")
ENDED_HEADING = N_("The time to confirm has ended")
START_AGAIN = N_("Choose a time again")


class ManagePages(Controller):
    path = "/"
    include_in_schema = False

    @get("/m/{token:str}")
    async def link(
        self, request: Request, token: FromPath[str], catalog: NamedDependency[Catalog]
    ) -> Redirect:
        """The link from the text message opens in the language the appointment was booked in."""
        appointment = await views.get(catalog, token)
        return Redirect(f"/{link_language(request, appointment.language)}/m/{token}")

    @get("/m/{token:str}/appointment.ics")
    async def calendar_file(
        self,
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> Response:
        appointment, setup = await appointment_and_setup(catalog, policy, token, clock())
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
        appointment, setup = await appointment_and_setup(catalog, policy, token, clock())
        if appointment.status == "held":
            return Redirect(f"/{lang}/m/{token}/code")
        notice = {"moved": MOVED, "cancelled": CANCELLED}.get(request.query_params.get("done", ""))
        return appointment_page(
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
        appointment, setup = await appointment_and_setup(catalog, policy, token, now)
        if appointment.status == "confirmed":
            return Redirect(f"/{lang}/m/{token}")
        if appointment.held_until is None or appointment.held_until <= now:
            return self._ended(request, lang, appointment)
        notice = gettext(RESENT) if "resent" in request.query_params else None
        return appointment_page(
            request, "code.html", appointment, setup, token, notice=notice, error=None
        )

    def _ended(
        self,
        request: Request,
        lang: str,
        appointment: AppointmentView,
        error: HoldEnded | None = None,
    ) -> Template:
        """The hold is over: why (time up, or the wrong codes used up), and a way back."""
        return page(
            request,
            "message.html",
            status_code=409,
            heading=gettext(ENDED_HEADING),
            message=error_text(error) if error else gettext(HoldEnded.message),
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
            appointment, setup = await appointment_and_setup(catalog, policy, token, now)
            return appointment_page(
                request,
                "code.html",
                appointment,
                setup,
                token,
                status_code=422,
                notice=None,
                error=error_text(error),
            )
        except HoldEnded as error:
            return self._ended(request, lang, await views.get(catalog, token), error)
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
            appointment, setup = await appointment_and_setup(catalog, policy, token, now)
            return appointment_page(
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
        appointment, setup = await appointment_and_setup(catalog, policy, token, clock())
        return appointment_page(
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
            return closed_page(request, lang, token, error)
        return redirect_see_other(f"/{lang}/m/{token}?done=cancelled")
