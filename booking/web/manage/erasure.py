"""Erasing my data, from the manage link: a confirm step, then everything held about the
number is erased (booking/services/erasure.py). Appointments ahead are cancelled first with
the usual texts and invites; afterwards the link leads nowhere, as if it had expired."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Template

from booking.db.tables import Appointment
from booking.domain.errors import N_
from booking.domain.policy import Policy
from booking.i18n import gettext
from booking.services import erasure, views
from booking.services.point_setup import Catalog
from booking.web.context import Clock
from booking.web.steps import check_language
from booking.web.templating import page, redirect_see_other
from booking.worker import InProcess

ERASED_HEADING = N_("Your data has been erased")
ERASED = N_(
    "We no longer keep your phone number, your name or our messages to you. If you had an"
    " appointment ahead, it is cancelled and you get one last text message about it."
)
BOOK_AGAIN = N_("Book a new appointment")


class ManageErasure(Controller):
    path = "/"
    include_in_schema = False

    @get("/{lang:str}/m/{token:str}/erase")
    async def confirm(
        self,
        request: Request,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
    ) -> Template:
        check_language(lang)
        appointment = await views.get(catalog, token)
        ahead = appointment.status in (Appointment.HELD, Appointment.CONFIRMED) and (
            appointment.starts_at > clock()
        )
        return page(request, "manage_erase.html", token=token, ahead=ahead)

    @post("/{lang:str}/m/{token:str}/erase")
    async def erase(
        self,
        lang: FromPath[str],
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
    ) -> Response:
        check_language(lang)
        await erasure.erase_on_request(catalog, policy, token, now=clock())
        worker.wake()
        return redirect_see_other(f"/{lang}/erased")

    @get("/{lang:str}/erased")
    async def erased(self, request: Request, lang: FromPath[str]) -> Template:
        check_language(lang)
        return page(
            request,
            "message.html",
            heading=gettext(ERASED_HEADING),
            message=gettext(ERASED),
            next_url=f"/{lang}/",
            next_label=gettext(BOOK_AGAIN),
        )
