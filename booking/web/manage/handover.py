"""What the migrant's manage page says about a warm handover: with whom, where, who comes.

The consented note itself is not shown (DOMAIN.md rule 6: notes are for staff and the
agency, and a phone, so the link, is often shared); the page only says a note went along.
The consultant moves handovers, so the page asks the migrant to contact the point instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from booking.db.tables import Appointment, Handover, StaffMember
from booking.domain.errors import N_
from booking.domain.policy import Policy
from booking.i18n import current_language, gettext
from booking.notify.ical.handover_facts import VIDEO_CALL, language_name
from booking.services.handovers import notices as handover_notices
from booking.services.point_setup import Catalog, PointSetup
from booking.services.views import AppointmentView
from booking.web.steps import place_text

INTERPRETER = {
    StaffMember.ON_SITE: N_("An interpreter for %(language)s will be there."),
    StaffMember.BY_PHONE: N_("An interpreter for %(language)s takes part by phone."),
    StaffMember.BY_VIDEO: N_("An interpreter for %(language)s takes part by video."),
}
CONSULTANT_JOINS = N_("Your consultant %(name)s comes with you.")
CONSULTANT_AWAY = N_("Your consultant does not come with you.")
NOTE_SHARED = N_("As you agreed, your consultant told %(agency)s briefly what your question is.")
CHANGE_TIME = N_("To change the time, please contact %(point)s.")


@dataclass(frozen=True, slots=True)
class HandoverDetails:
    """Lines for the page, already in its language."""

    agency: str
    where: str
    video_url: str
    interpreter: str
    consultant: str
    note_shared: str
    change_time: str


async def details(
    catalog: Catalog, policy: Policy, appointment: AppointmentView, setup: PointSetup
) -> HandoverDetails | None:
    """The handover behind ``appointment``, or None for any other appointment."""
    if appointment.channel != Appointment.HANDOVER:
        return None
    language = current_language.get()
    facts, _ = await handover_notices.facts(catalog, policy, appointment.id, language)
    if facts.place == Handover.AT_AGENCY:
        where = ", ".join(p for p in (facts.agency_name, facts.agency_address) if p)
    elif facts.place == Handover.BY_VIDEO:
        where = gettext(VIDEO_CALL)
    else:
        where = place_text(setup, appointment.starts_at.astimezone(setup.point.tz).date())
    interpreter = ""
    if facts.interpreter_mode in INTERPRETER:
        name = language_name(facts.language, language)
        interpreter = gettext(INTERPRETER[facts.interpreter_mode], language=name)
    return HandoverDetails(
        agency=facts.agency_name,
        where=where,
        video_url=facts.video_url,
        interpreter=interpreter,
        consultant=gettext(CONSULTANT_JOINS, name=facts.consultant_name)
        if facts.consultant_joins
        else gettext(CONSULTANT_AWAY),
        note_shared=gettext(NOTE_SHARED, agency=facts.agency_name) if facts.note.strip() else "",
        change_time=gettext(CHANGE_TIME, point=facts.point_name),
    )
