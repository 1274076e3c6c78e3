"""What every page behind the manage link needs: the appointment behind the token, and how it
and a closed appointment are shown."""

from __future__ import annotations

from datetime import datetime

from litestar import Request
from litestar.response import Template

from booking.db.tables import Appointment
from booking.domain.errors import LoketError, MovedByConsultant
from booking.domain.policy import Policy
from booking.i18n import gettext
from booking.services import views
from booking.services.point_setup import Catalog, PointSetup
from booking.services.views import AppointmentView
from booking.web.manage.handover import HandoverDetails
from booking.web.steps import directions_text, place_text, setup_of
from booking.web.templating import page


async def appointment_and_setup(
    catalog: Catalog, policy: Policy, token: str, now: datetime, *, moving: bool = False
) -> tuple[AppointmentView, PointSetup]:
    """The appointment behind a manage token and its point; ``moving``: refuses a handover, which staff move."""
    appointment = await views.get(catalog, token)
    if moving and appointment.channel == Appointment.HANDOVER:
        raise MovedByConsultant("start")
    return appointment, await setup_of(catalog, policy, appointment.point, now)


def closed_page(request: Request, lang: str, token: str, error: LoketError) -> Template:
    return page(
        request,
        "message.html",
        status_code=409,
        heading=gettext("Your appointment"),
        message=gettext(error.message),
        next_url=f"/{lang}/m/{token}",
        next_label=gettext("Back"),
    )


def appointment_page(
    request: Request,
    template: str,
    appointment: AppointmentView,
    setup: PointSetup,
    token: str,
    status_code: int = 200,
    handover: HandoverDetails | None = None,
    **context,
) -> Template:
    """The appointment in the point's zone, with its place (the agency's, for a handover)."""
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
        directions="" if handover else directions_text(setup, day),
        handover=handover,
        **context,
    )
