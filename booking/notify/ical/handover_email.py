"""The words of a handover invite's e-mail: subject and plain-text body, in the invite's
language, standing on their own for a reader without a calendar."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from booking.domain.errors import N_
from booking.i18n import format_instant, gettext
from booking.notify.ical.handover_events import CANCEL, REQUEST
from booking.notify.ical.handover_facts import HandoverFacts, description, location, summary, when

SUBJECT_NEW = N_("Invitation: %(summary)s, %(when)s")
SUBJECT_CHANGED = N_("Changed: %(summary)s, %(when)s")
SUBJECT_CANCELLED = N_("Cancelled: %(summary)s, %(when)s")
SUBJECT_WITHDRAWN = N_("Invitation withdrawn: %(summary)s, %(when)s")
INTRO_NEW = N_("%(point)s invites you to this warm handover.")
INTRO_CHANGED = N_("This warm handover has changed. These details replace the earlier ones.")
INTRO_CANCELLED = N_("This warm handover is cancelled.")
INTRO_WITHDRAWN = N_("You are no longer needed at this warm handover. It goes ahead without you.")
WHEN = N_("When: %(when)s")
WHERE = N_("Where: %(place)s")
ACCEPT = N_("Accept: %(url)s")
DECLINE = N_("Decline: %(url)s")
ANSWER_IN_CALENDAR = N_("You can also answer with the buttons of your calendar.")
ATTACHED_INVITE = N_("The calendar invitation is attached.")
ATTACHED_CANCEL = N_("The attached calendar file removes it from your calendar.")
#: (method, changed for a REQUEST / everyone for a CANCEL) -> (subject, opening line)
EMAILS = {
    (REQUEST, False): (SUBJECT_NEW, INTRO_NEW),
    (REQUEST, True): (SUBJECT_CHANGED, INTRO_CHANGED),
    (CANCEL, True): (SUBJECT_CANCELLED, INTRO_CANCELLED),
    (CANCEL, False): (SUBJECT_WITHDRAWN, INTRO_WITHDRAWN),
}


def email_text(
    facts: HandoverFacts,
    *,
    method: str,
    language: str = "nl",
    accept_url: str | None = None,
    decline_url: str | None = None,
    everyone: bool = True,
    first_to_them: bool = False,
) -> tuple[str, str]:
    """(subject, plain-text body) of the e-mail that carries a REQUEST or a CANCEL.

    A REQUEST after a change reads "Changed", except to someone it is the first invite for
    (``first_to_them``: an interpreter swapped in), who is simply invited.
    ``everyone=False`` words a CANCEL for someone swapped out (the handover itself goes
    ahead, RFC 5546 3.2.5).
    """
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"no e-mail for METHOD {method!r}")
    tz = ZoneInfo(facts.timezone)
    short_when = format_instant(facts.starts_at, tz, language, "EEEE d MMMM, HH:mm")
    changed = facts.sequence > 0 and not first_to_them
    subject, intro = EMAILS[(method, changed if method == REQUEST else everyone)]
    head = [
        gettext(intro, language, point=facts.point_name),
        "",
        gettext(WHEN, language, when=when(facts, language)),
        gettext(WHERE, language, place=location(facts, language)),
        "",
    ]
    if method == CANCEL:
        body = [*head, summary(facts, language), "", gettext(ATTACHED_CANCEL, language)]
    else:
        links = [
            gettext(template, language, url=url)
            for template, url in ((ACCEPT, accept_url), (DECLINE, decline_url))
            if url
        ]
        body = [*head, description(facts, language), ""]
        if links:
            body += [*links, gettext(ANSWER_IN_CALENDAR, language), ""]
        body.append(gettext(ATTACHED_INVITE, language))
    title = gettext(subject, language, summary=summary(facts, language), when=short_when)
    return title, "\n".join(body) + "\n"
