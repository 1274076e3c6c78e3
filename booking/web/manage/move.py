"""Moving an appointment from the manage link: a day, a time, a confirmation. A handover is
moved by its consultant, never here."""

from __future__ import annotations

from datetime import date, datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Template

from booking.domain.errors import (
    AppointmentClosed,
    HoldEnded,
    MovedByConsultant,
    SlotNotOffered,
    SlotTaken,
)
from booking.domain.policy import Policy
from booking.i18n import gettext
from booking.services import changes
from booking.services.point_setup import Catalog, PointSetup
from booking.services.views import AppointmentView
from booking.web.context import Clock
from booking.web.manage.shared import appointment_and_setup, appointment_page, closed_page
from booking.web.steps import (
    FormData,
    check_language,
    days_page,
    parse_day,
    parse_start,
    times_page,
)
from booking.web.templating import redirect_see_other


async def _times(
    request: Request,
    catalog: Catalog,
    policy: Policy,
    appointment: AppointmentView,
    setup: PointSetup,
    base: str,
    day: date,
    now: datetime,
    **extra,
) -> Template:
    """The free times of one day to move to, as the first look and after a time was taken."""
    return await times_page(
        request,
        catalog,
        policy,
        setup=setup,
        topic=appointment.topic,
        day=day,
        now=now,
        url=f"{base}/move/{day.isoformat()}?start=",
        back_url=f"{base}/move",
        **extra,
    )


class MovePages(Controller):
    path = "/"
    include_in_schema = False

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
        appointment, setup = await appointment_and_setup(catalog, policy, token, now, moving=True)
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
    ) -> Template:
        check_language(lang)
        now = clock()
        appointment, setup = await appointment_and_setup(catalog, policy, token, now, moving=True)
        parsed = parse_day(day)
        start = parse_start(request.query_params.get("start"))
        if start is not None:
            return appointment_page(
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
        return await _times(
            request, catalog, policy, appointment, setup, f"/{lang}/m/{token}", parsed, now
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
            appointment, setup = await appointment_and_setup(catalog, policy, token, now)
            day = start.astimezone(setup.point.tz).date()
            return await _times(
                request, catalog, policy, appointment, setup, f"/{lang}/m/{token}", day, now,
                error=gettext(error.message), status_code=409,
            )  # fmt: skip
        except (AppointmentClosed, HoldEnded, MovedByConsultant) as error:
            return closed_page(request, lang, token, error)
        return redirect_see_other(f"/{lang}/m/{token}?done=moved")
