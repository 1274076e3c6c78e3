"""The words of every text message, in the migrant's language and the point's time zone.

Rendered when queued, inside the transaction of the change behind them. Kept short: every
standard message fits two SMS parts in all six languages (tests/notify/test_texts.py), so
"where" is the street and town, the bus stop's name, or that we will call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from babel.dates import format_datetime

from booking.domain.errors import N_
from booking.i18n import gettext
from booking.notify.gsm import for_sms

CODE = N_("Loket: your code is %(code)s. It is valid for %(minutes)s minutes.")
CONFIRMATION = N_("Loket: appointment %(when)s, %(where)s. Change or cancel: %(link)s")
REMINDER = N_("Loket reminder: %(when)s, %(where)s. Reply 1 = I come, 2 = cancel. %(link)s")
CHANGE = N_("Loket: your appointment is moved to %(when)s, %(where)s. %(link)s")
CANCELLATION = N_("Loket: your appointment of %(when)s is cancelled. Book again: %(link)s")
HANDOVER = N_("Loket: appointment with %(agency)s %(when)s, %(where)s. Change or cancel: %(link)s")
HANDOVER_INTERPRETED = N_(
    "Loket: appointment with %(agency)s %(when)s, %(where)s. An interpreter will be there."
    " Change or cancel: %(link)s"
)
OFFER = N_("Loket: a time came free: %(when)s, %(where)s. Book it within %(minutes)s min: %(link)s")
BY_PHONE = N_("we will call you")
BY_VIDEO = N_("video call")
REPLY_THANKS = N_("Loket: thank you, see you %(when)s.")
REPLY_HELP = N_("Loket: texts about your appointment. Reply STOP to stop them, START to restart.")
REPLY_STOPPED = N_("Loket: you will get no more texts from us. Reply START to get them again.")
REPLY_STARTED = N_("Loket: you will get texts about your appointments again.")
REPLY_NOTHING = N_("Loket: we found no appointment to answer. Please use the link in our text.")

#: Weekday, day, month and time, short: "wt., 1 gru, 18:30".
WHEN = "EEE d MMM, HH:mm"


@dataclass(frozen=True, slots=True)
class About:
    """What a message says about an appointment."""

    start: datetime
    tz: tzinfo
    where: str
    link: str
    #: For a handover: the partner agency, and whether an interpreter takes part.
    agency: str | None = None
    interpreted: bool = False


def confirmation(about: About) -> str:
    """The template that confirms a booking: a handover names the agency and interpreter."""
    if about.agency is None:
        return CONFIRMATION
    return HANDOVER_INTERPRETED if about.interpreted else HANDOVER


def when(start: datetime, tz: tzinfo, language: str) -> str:
    return format_datetime(start, WHEN, tzinfo=tz, locale=language)


#: Street and town longer than this shrink to the town; the link shows the full address.
PLACE_MAX = 28
#: An agency's name is cut to this in a text; the link names it in full.
AGENCY_MAX = 30


def where(kind: str, address: str, city: str, place: str | None, language: str) -> str:
    """The short place of an appointment: we call you, the bus stop, or street and town."""
    if kind == "phone":
        return gettext(BY_PHONE, language)
    if kind == "video":
        return gettext(BY_VIDEO, language)
    if kind == "mobile" and place:
        return place
    full = ", ".join(part for part in (address, city) if part)
    return full if len(full) <= PLACE_MAX else city or full[:PLACE_MAX]


def render(template: str, language: str, about: About | None = None, **params: object) -> str:
    """One message in ``language``, GSM-7 where the language allows (booking.notify.gsm)."""
    if about is not None:
        params = {
            "when": when(about.start, about.tz, language),
            "where": about.where,
            "link": about.link,
            "agency": (about.agency or "")[:AGENCY_MAX],
            **params,
        }
    return for_sms(gettext(template, language, **params), language)


def code_message(code: str, minutes: int, language: str) -> str:
    return render(CODE, language, code=code, minutes=minutes)
