"""What the voice line says and offers, apart from HTTP and TwiML (booking/web/voice.py).

A caller on the phone cannot read a list, so the line offers little at a time: nine
languages and 0 for the other seven, then two choices, then the three earliest free times. Every sentence is an
English source text for the catalog, spoken in the caller's language; only the language menu
is fixed data, each line in its own language, since the caller has not chosen yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.db.tables import Appointment, Point
from booking.domain.errors import N_, UnknownPoint, UnknownTopic
from booking.domain.policy import Policy
from booking.i18n import UI_LANGUAGES, format_instant, gettext
from booking.services import agenda, limits
from booking.services.appointments import BookingRequest, book_confirmed
from booking.services.point_setup import Catalog, PointInfo, TopicInfo, current_revision
from booking.services.slots import search_slots
from booking.services.views import AppointmentView

#: Twilio <Say> voice and its language per interface language: Google voices, which Twilio
#: offers for each of these (Arabic as Google's Modern Standard "ar-XA"). Latvian has no
#: Twilio voice: a Latvian caller hears English (``SPOKEN_FALLBACK``), while the appointment
#: and its texts stay Latvian.
VOICES: dict[str, tuple[str, str]] = {
    "nl": ("Google.nl-NL-Standard-A", "nl-NL"),
    "en": ("Google.en-GB-Standard-A", "en-GB"),
    "pl": ("Google.pl-PL-Standard-A", "pl-PL"),
    "ro": ("Google.ro-RO-Standard-A", "ro-RO"),
    "bg": ("Google.bg-BG-Standard-A", "bg-BG"),
    "uk": ("Google.uk-UA-Standard-A", "uk-UA"),
    "lt": ("Google.lt-LT-Standard-A", "lt-LT"),
    "hu": ("Google.hu-HU-Standard-A", "hu-HU"),
    "sk": ("Google.sk-SK-Standard-A", "sk-SK"),
    "cs": ("Google.cs-CZ-Standard-A", "cs-CZ"),
    "pt": ("Google.pt-PT-Standard-A", "pt-PT"),
    "es": ("Google.es-ES-Standard-A", "es-ES"),
    "ru": ("Google.ru-RU-Standard-A", "ru-RU"),
    "tr": ("Google.tr-TR-Standard-A", "tr-TR"),
    "ar": ("Google.ar-XA-Standard-A", "ar-XA"),
}
SPOKEN_FALLBACK = "en"

#: The language menu: each language offers itself, in itself; the digit is filled in.
MENU_LINES: dict[str, str] = {
    "nl": "Nederlands: druk op {digit}.",
    "en": "English: press {digit}.",
    "pl": "Polski: naciśnij {digit}.",
    "ro": "Română: apăsați {digit}.",
    "bg": "Български: натиснете {digit}.",
    "uk": "Українська: натисніть {digit}.",
    "lt": "Lietuvių kalba: spauskite {digit}.",
    "lv": "Latviešu: {digit}.",
    "hu": "Magyar: nyomja meg a {digit} gombot.",
    "sk": "Slovenčina: stlačte {digit}.",
    "cs": "Čeština: stiskněte {digit}.",
    "pt": "Português: prima {digit}.",
    "es": "Español: pulse {digit}.",
    "ru": "Русский: нажмите {digit}.",
    "tr": "Türkçe: {digit} tuşuna basın.",
    "ar": "العربية: اضغط {digit}.",
}

#: A keypad has ten keys: the first menu offers the nine languages most callers speak, and 0
#: for the others; in that second menu 0 goes back to the first.
FIRST_MENU: tuple[str, ...] = ("nl", "en", "pl", "ro", "bg", "uk", "lt", "hu", "ar")
MORE_MENU: tuple[str, ...] = tuple(lang for lang in UI_LANGUAGES if lang not in FIRST_MENU)
SWITCH_KEY = "0"
#: The line that offers the other menu, in English (the caller has not chosen yet).
SWITCH_LINES = ("Other languages: press 0.", "Back to the first languages: press 0.")


def menu_keys(more: bool) -> dict[str, str]:
    """Key -> language in the first menu or, with ``more``, the second."""
    return {str(n): lang for n, lang in enumerate(MORE_MENU if more else FIRST_MENU, start=1)}


def spoken_language(language: str) -> str:
    """The language the line speaks to a caller of ``language``: itself if Twilio has a
    voice for it, else English."""
    return language if language in VOICES else SPOKEN_FALLBACK


#: How many free times are read out, and how far ahead they are looked for.
OFFERED = 3
SEARCH_DAYS = 14

CHOICES = N_(
    "Press 1 to be called back during the telephone hour. Press 2 to hear the next free times."
)
CALLBACK_REQUESTED = N_("Thank you. Someone will call you back during the telephone hour. Goodbye.")
SHOW_NUMBER = N_("Please call again from a mobile phone, with your number shown. Goodbye.")
FREE_TIMES = N_("The next free times are:")
OFFER_AT_POINT = N_("Press %(digit)s for %(when)s, at %(place)s.")
OFFER_BY_PHONE = N_("Press %(digit)s for %(when)s; we will call you.")
BOOKED = N_(
    "Your appointment on %(when)s is booked. You will get a text message about it. Goodbye."
)
TAKEN = N_("Sorry, someone has just booked this time.")
NO_FREE_TIMES = N_(
    "There are no free times in the next two weeks."
    " Press 1 to be called back during the telephone hour."
)
NOT_A_CHOICE = N_("That is not one of the choices.")
NO_CHOICE = N_("We did not get a choice. Please call again. Goodbye.")
TROUBLE = N_("Sorry, something went wrong. Please call again later. Goodbye.")


@dataclass(frozen=True, slots=True)
class Offer:
    """A free time read out to the caller."""

    point: PointInfo
    start: datetime


def menu_line(language: str, digit: str) -> str:
    return MENU_LINES[language].format(digit=digit)


def spoken_offer(offer: Offer, digit: int, language: str) -> str:
    """One free time as a sentence; a phone point's "place" is that we call the caller."""
    when = format_instant(offer.start, offer.point.tz, language)
    if offer.point.kind == Point.PHONE:
        return gettext(OFFER_BY_PHONE, language, digit=digit, when=when)
    return gettext(
        OFFER_AT_POINT, language, digit=digit, when=when, place=offer.point.name_in(language)
    )


async def active_point(catalog: Catalog, revision: int, slug: str) -> PointInfo | None:
    infos = await catalog.point_infos(revision)
    return next((p for p in infos.values() if p.slug == slug and p.active), None)


async def topic_by_slug(catalog: Catalog, revision: int, slug: str) -> TopicInfo:
    topics = await catalog.topics(revision)
    topic = next((t for t in topics.values() if t.slug == slug), None)
    if topic is None:
        raise UnknownTopic("topic")
    return topic


async def at_limit(policy: Policy, phone: str, now: datetime) -> bool:
    """Whether the number already has as many live appointments as online booking allows;
    the keypad books without a code, so the same limit keeps it from emptying the agenda."""
    live, _ = await limits.phone_counts(phone, now)
    return live >= policy.limits.max_live_per_phone


async def next_free(
    catalog: Catalog,
    policy: Policy,
    *,
    point_slugs: tuple[str, ...],
    topic_slug: str,
    language: str,
    now: datetime,
) -> list[Offer]:
    """The earliest free times over the offered points; on a tie, the point named first."""
    revision = await current_revision()
    topic = await topic_by_slug(catalog, revision, topic_slug)
    first = policy.today(now)
    last = first + timedelta(days=SEARCH_DAYS - 1)
    found: list[tuple[datetime, int, Offer]] = []
    for rank, slug in enumerate(point_slugs):
        point = await active_point(catalog, revision, slug)
        if point is None:
            continue
        _, slots = await search_slots(
            catalog,
            policy,
            point_id=point.id,
            topic_id=topic.id,
            language=language,
            first=first,
            last=last,
            now=now,
        )
        found += [(slot.start, rank, Offer(point, slot.start)) for slot in slots[:OFFERED]]
    found.sort(key=lambda item: item[:2])
    return [offer for _, _, offer in found[:OFFERED]]


async def call_back(
    catalog: Catalog, *, point_slug: str, phone: str, language: str, now: datetime
) -> int:
    """A call-back request on the telephone point's agenda."""
    point = await active_point(catalog, await current_revision(), point_slug)
    if point is None:
        raise UnknownPoint("point")
    return await agenda.request_callback(point.id, phone, language, now)


async def book(
    catalog: Catalog,
    policy: Policy,
    *,
    point_id: int,
    topic_slug: str,
    language: str,
    start: datetime,
    phone: str,
    now: datetime,
) -> AppointmentView:
    """Books an offered time, confirmed at once: the caller is known by the number Twilio
    saw, so no code is needed. Raises SlotTaken or SlotNotOffered if it went meanwhile."""
    topic = await topic_by_slug(catalog, await current_revision(), topic_slug)
    request = BookingRequest(
        point_id, topic.id, language, start, phone=phone, channel=Appointment.PHONE
    )
    return await book_confirmed(catalog, policy, request, now=now)
