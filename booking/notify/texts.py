"""The words of every text message, in the migrant's language and the point's time zone.

Rendered when queued, inside the transaction of the change behind them. Every standard
message fits two SMS parts in all 16 languages (tests/notify/test_texts.py) by design, never
by cutting a word: ``%(at)s`` is the time with the place, and a text that would not fit
takes the next shorter form of the place and the agency (street and town, the town, no
place; the agency's name without its parenthesis or department), the manage link showing
everything in full. The link is measured as ``LINK_ROOM`` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from babel.dates import format_datetime

from booking.domain.errors import N_
from booking.i18n import gettext
from booking.notify import placeholders
from booking.notify.gsm import for_sms, segments

CODE = N_("Loket: your code is %(code)s. It is valid for %(minutes)s minutes.")
CONFIRMATION = N_("Loket: appointment %(at)s. Change or cancel: %(link)s")
REMINDER = N_("Loket reminder: %(at)s. Reply 1 = I come, 2 = cancel. %(link)s")
CHANGE = N_("Loket: your appointment is moved to %(at)s. Change or cancel: %(link)s")
#: The link of a cancellation is the booking start page: the old manage link has no use.
CANCELLATION = N_("Loket: your appointment of %(when)s is cancelled. To book a new one: %(link)s")
HANDOVER = N_("Loket: appointment with %(agency)s, %(at)s. Change or cancel: %(link)s")
HANDOVER_INTERPRETED = N_(
    "Loket: appointment with %(agency)s, %(at)s, with an interpreter. Change or cancel: %(link)s"
)
#: The time and the place of an appointment, as ``%(at)s`` above.
WHEN_AND_WHERE = N_("%(when)s, %(where)s")
#: A time freed for someone on the waiting list; its link holds the time for the offer.
OFFER = N_("Loket: a time came free: %(at)s. Book it within %(minutes)s min: %(link)s")
BY_PHONE = N_("we will call you")
BY_VIDEO = N_("video call")
REPLY_THANKS = N_("Loket: thank you, see you %(when)s.")
REPLY_HELP = N_("Loket: texts about your appointment. Reply STOP to stop them, START to restart.")
REPLY_STOPPED = N_("Loket: you will get no more texts from us. Reply START to get them again.")
REPLY_STARTED = N_("Loket: you will get texts about your appointments again.")
REPLY_NOTHING = N_("Loket: we found no appointment to answer. Please use the link in our text.")

#: Weekday, day, month and time, short: "wt. 1 gru, 18:30".
WHEN = "EEE d MMM, HH:mm"
#: The room a link takes in a text: ``PUBLIC_BASE_URL`` of up to 29 characters, "/m/" and
#: the 16-character token.
LINK_ROOM = 48
MAX_PARTS = 2


@dataclass(frozen=True, slots=True)
class About:
    """What a message says about an appointment."""

    start: datetime
    tz: tzinfo
    #: The place, most telling first: e.g. ("Kennedylaan 21, Veghel", "Veghel").
    where: tuple[str, ...]
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


def where(kind: str, address: str, city: str, place: str | None, language: str) -> tuple[str, ...]:
    """The place of an appointment, most telling first: we call you, the bus stop, or street
    and town, then the town alone."""
    if kind == "phone":
        return (gettext(BY_PHONE, language),)
    if kind == "video":
        return (gettext(BY_VIDEO, language),)
    if kind == "mobile" and place:
        return (place.strip(),)
    parts = [part.strip() for part in (address, city) if part and part.strip()]
    full = ", ".join(parts)
    return (full, parts[-1]) if len(parts) > 1 else (full,)


def agency_names(name: str) -> tuple[str, ...]:
    """An agency's name, then shorter forms made of whole words: without the parenthesis,
    then without the department after a dash ("Gemeente Meierijstad - Burgerzaken (BRP/RNI)"
    -> "Gemeente Meierijstad - Burgerzaken" -> "Gemeente Meierijstad")."""
    bare = " ".join(re.sub(r"\([^)]*\)", " ", name).split()) or name
    head = re.split(r"\s+[-–—]\s+", bare)[0]
    return tuple(dict.fromkeys((" ".join(name.split()), bare, head)))


def fits(body: str) -> bool:
    """Whether ``body`` takes at most two parts once the link and the code are put in."""
    sent = body.replace(placeholders.LINK, "x" * LINK_ROOM).replace(placeholders.CODE, "0" * 6)
    return segments(sent)[1] <= MAX_PARTS


def values(language: str, about: About | None = None, **params: object) -> dict[str, object]:
    """A WhatsApp template's variables: the place and the agency in full, as a template has
    no two-part limit."""
    if about is None:
        return params
    day = when(about.start, about.tz, language)
    where = about.where[0] if about.where else ""
    return {
        "when": day,
        "at": gettext(WHEN_AND_WHERE, language, when=day, where=where) if where else day,
        "link": about.link,
        "agency": about.agency or "",
        **params,
    }


def render(template: str, language: str, about: About | None = None, **params: object) -> str:
    """One message in ``language``, GSM-7 where the language allows (booking.notify.gsm):
    the most telling form that fits two parts, or the shortest."""
    if about is None:
        return for_sms(gettext(template, language, **params), language)
    day = when(about.start, about.tz, language)
    ats = [gettext(WHEN_AND_WHERE, language, when=day, where=w) for w in about.where] + [day]
    names = agency_names(about.agency) if about.agency else ("",)
    body = ""
    for at in ats:
        for name in names:
            values = {"when": day, "at": at, "link": about.link, "agency": name, **params}
            body = for_sms(gettext(template, language, **values), language)
            if fits(body):
                return body
    return body


def code_message(code: str, minutes: int, language: str) -> str:
    return render(CODE, language, code=code, minutes=minutes)


QUEUE_NEXT = N_("Loket: number %(number)s, you are next. Please come to the desk now.")
