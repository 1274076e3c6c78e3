"""The accept and decline links of handover invites: a page to answer on, never a GET that answers.

Mail scanners (Outlook Safe Links and the like) open every link in an e-mail, so opening a
link only shows the invitation; ``?answer=`` merely highlights the matching button, and the
answer itself is a POST. The forms carry the usual CSRF token: the signed link already
proves who answers, the token keeps other sites from posting on their behalf. The pages
are for agencies and interpreters: Dutch unless the browser asks for another language.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from booking.db.tables import Appointment, InviteAttendee
from booking.domain.errors import N_, AppointmentClosed, InvalidInput, LoketError
from booking.domain.policy import Policy
from booking.i18n import UI_LANGUAGES, current_language, gettext, language_name
from booking.services.handovers import invite_replies
from booking.services.handovers.invite_replies import Invitation
from booking.services.point_setup import Catalog, current_revision
from booking.web.context import Clock
from booking.web.errors import HEADINGS, STATUS_BY_ERROR
from booking.web.language import DEFAULT_LANGUAGE_OPT
from booking.web.steps import FormData
from booking.web.templating import page

ROLES = {
    InviteAttendee.AGENCY: N_("Partner organisation"),
    InviteAttendee.INTERPRETER: N_("Interpreter"),
    InviteAttendee.CONSULTANT: N_("Consultant"),
}
ANSWERS = {
    InviteAttendee.NEEDS_ACTION: N_("Not answered yet"),
    InviteAttendee.ACCEPTED: N_("Accepted"),
    InviteAttendee.DECLINED: N_("Declined"),
}
THANKS = {
    InviteAttendee.ACCEPTED: N_("Thank you. You have accepted the invitation."),
    InviteAttendee.DECLINED: N_(
        "Thank you. You have declined the invitation; the consultant will look for another time."
    ),
}


def _languages(token: str, answer: str | None, current: str) -> list[dict[str, Any]]:
    """The language picker, on this same page: the migrants' /{lang}/ prefixes do not apply."""
    keep = f"&answer={answer}" if answer else ""
    return [
        {
            "code": code,
            "name": language_name(code),
            "url": f"/invites/{token}?lang={code}{keep}",
            "current": code == current,
        }
        for code in UI_LANGUAGES
    ]


class InvitePages(Controller):
    path = "/invites"
    include_in_schema = False
    opt = {DEFAULT_LANGUAGE_OPT: "nl"}

    @get("/{token:str}")
    async def show(
        self,
        request: Request,
        token: FromPath[str],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        """Shows the invitation; changes nothing, whoever or whatever opens the link."""
        wanted = request.query_params.get("answer")
        highlight = wanted if wanted in invite_replies.ANSWERS else None
        try:
            found = await invite_replies.invitation(policy, token, clock())
            if found.status != Appointment.CONFIRMED:
                raise AppointmentClosed("status")
        except LoketError as error:
            return _refusal(request, token, error)
        return await _page(request, catalog, token, found, highlight=highlight)

    @post("/{token:str}", status_code=200)
    async def reply(
        self,
        request: Request,
        token: FromPath[str],
        data: FormData,
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        """Records the answer; a decline shows up for the consultant at once."""
        reply = data.get("answer", "")
        try:
            if reply not in invite_replies.ANSWERS:
                raise InvalidInput("answer")
            found = await invite_replies.answer(policy, token, reply, clock())
        except LoketError as error:
            return _refusal(request, token, error)
        return await _page(request, catalog, token, found, thanks=gettext(THANKS[found.partstat]))


async def _page(
    request: Request,
    catalog: Catalog,
    token: str,
    found: Invitation,
    *,
    highlight: str | None = None,
    thanks: str | None = None,
) -> Template:
    point = (await catalog.point_infos(await current_revision()))[found.point_id]
    return page(
        request,
        "invite.html",
        invitation=found,
        tz=point.tz,
        point_name=point.name,
        role=gettext(ROLES.get(found.role, ROLES[InviteAttendee.AGENCY])),
        answer=gettext(ANSWERS.get(found.partstat, ANSWERS[InviteAttendee.NEEDS_ACTION])),
        highlight=highlight,
        thanks=thanks,
        action=f"/invites/{token}",
        languages=_languages(token, highlight, current_language.get()),
    )


def _refusal(request: Request, token: str, error: LoketError) -> Template:
    """404 for a link that is forged or expired, 409 for one the handover has outgrown.

    Rendered here rather than by the error handler: these readers need no way back to the
    migrants' start page.
    """
    status = next((s for cls, s in STATUS_BY_ERROR if isinstance(error, cls)), 422)
    return page(
        request,
        "invite_message.html",
        status_code=status,
        heading=gettext(HEADINGS[status]),
        message=gettext(error.message, **error.params),
        next_url=None,
        languages=_languages(token, None, current_language.get()),
    )
