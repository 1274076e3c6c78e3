"""The voice line: Twilio Voice calls, answered with TwiML in the caller's language.

Every step is a POST from Twilio, checked by its signature. Links in the TwiML are absolute
public URLs, since Twilio signs the URL it calls and ``signed_by_twilio`` rebuilds exactly
that one; their query values use only unreserved characters, so nothing is re-escaped.

    /webhooks/twilio/voice      six languages, keys 1-6 -> /language
    /language                   the two choices, keys 1-2 -> /choice
    /menu?lang=                 the two choices again
    /choice?lang=               1: call-back, goodbye; 2: free times, keys 1-3 -> /book
    /times?lang=                the free times again
    /book?lang=&p1=&t1=...      books the time behind the key, goodbye

No key: <Redirect> to the step again; a wrong key: the step again at once. ``tries`` counts
both, and after MAX_TRIES the line says goodbye and hangs up.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_200_OK
from twilio.twiml.voice_response import Gather, VoiceResponse

from booking.domain.errors import (
    InvalidInput,
    LoketError,
    SlotNotOffered,
    SlotTaken,
    TooManyAppointments,
)
from booking.domain.phone import mobile_e164
from booking.domain.policy import Policy
from booking.i18n import DEFAULT_LANGUAGE, format_instant, gettext, ui_language
from booking.services import voice
from booking.services.point_setup import Catalog
from booking.settings import Settings
from booking.web.bounds import FIRST_YEAR, LAST_YEAR, MAX_ID
from booking.web.context import Clock
from booking.web.webhooks import TwilioForm, refused, signed_by_twilio
from booking.worker import InProcess

log = logging.getLogger(__name__)

PATH = "/webhooks/twilio/voice"
MAX_TRIES = 3
#: An offered start in the query string, in UTC: 20261201T1000Z.
INSTANT = "%Y%m%dT%H%MZ"

Tries = Annotated[int, QueryParameter(ge=1, le=100)]
Lang = Annotated[str, QueryParameter(max_length=12)]


def public_url(base_url: str, step: str, **query: str | int) -> str:
    return f"{base_url}{PATH}{step}?{urlencode(query)}"


def say_in(target: VoiceResponse | Gather, text: str, language: str) -> None:
    voice_name, code = voice.VOICES[language]
    target.say(text, voice=voice_name, language=code)


class Answer:
    """One TwiML answer in the caller's chosen language, which every next step carries."""

    def __init__(self, language: str, base_url: str = "") -> None:
        self.language = language
        self.base_url = base_url
        self.twiml = VoiceResponse()

    def url(self, step: str, **query: str | int) -> str:
        return public_url(self.base_url, step, lang=self.language, **query)

    def say(self, text: str, into: Gather | None = None) -> None:
        say_in(into or self.twiml, text, self.language)

    def speak(self, message: str, into: Gather | None = None, **params: object) -> None:
        self.say(gettext(message, self.language, **params), into)

    def gather(self, step: str, **query: str | int) -> Gather:
        return self.twiml.gather(num_digits=1, action=self.url(step, **query), method="POST")

    def if_silent(self, step: str, **query: str | int) -> Response:
        """Where Twilio goes when the <Gather> before got no key."""
        self.twiml.redirect(self.url(step, **query), method="POST")
        return xml(self.twiml)

    def goodbye(self, message: str, **params: object) -> Response:
        self.speak(message, **params)
        self.twiml.hangup()
        return xml(self.twiml)


def xml(twiml: VoiceResponse) -> Response:
    return Response(content=str(twiml), media_type="application/xml")


def in_language(settings: Settings, lang: str) -> Answer:
    return Answer(ui_language(lang) or DEFAULT_LANGUAGE, settings.public_base_url)


def caller(form: Mapping[str, str]) -> str | None:
    """The caller's mobile number; None when withheld or a landline, which cannot get texts."""
    try:
        return mobile_e164(form.get("From", ""))
    except InvalidInput:
        return None


def offer_query(offers: list[voice.Offer]) -> dict[str, str | int]:
    """The offered times travel in the <Gather> action URL, which Twilio signs back to us."""
    query: dict[str, str | int] = {}
    for digit, offer in enumerate(offers, start=1):
        query[f"p{digit}"] = offer.point.id
        query[f"t{digit}"] = offer.start.astimezone(UTC).strftime(INSTANT)
    return query


def offered(query: Mapping[str, str], digit: str) -> tuple[int, datetime] | None:
    """The point and start behind the key pressed, or None if that key offered nothing."""
    point, start = query.get(f"p{digit}"), query.get(f"t{digit}")
    if not point or not start:
        return None
    try:
        point_id, at = int(point), datetime.strptime(start, INSTANT).replace(tzinfo=UTC)
    except ValueError:
        return None
    if not 1 <= point_id <= MAX_ID or not FIRST_YEAR <= at.year <= LAST_YEAR:
        return None
    return point_id, at


def language_menu(settings: Settings, tries: int) -> Response:
    """Each language offered in itself; the caller's number is checked once they chose."""
    twiml = VoiceResponse()
    if tries > MAX_TRIES:
        for language in voice.LANGUAGE_KEYS.values():
            say_in(twiml, gettext(voice.NO_CHOICE, language), language)
        twiml.hangup()
        return xml(twiml)
    action = public_url(settings.public_base_url, "/language", tries=tries)
    gather = twiml.gather(num_digits=1, action=action, method="POST")
    for digit, language in voice.LANGUAGE_KEYS.items():
        say_in(gather, voice.menu_line(language, digit), language)
    twiml.redirect(public_url(settings.public_base_url, "", tries=tries + 1), method="POST")
    return xml(twiml)


def choices_menu(said: Answer, tries: int) -> Response:
    if tries > MAX_TRIES:
        return said.goodbye(voice.NO_CHOICE)
    said.speak(voice.CHOICES, said.gather("/choice", tries=tries))
    return said.if_silent("/menu", tries=tries + 1)


async def free_times(
    said: Answer,
    catalog: Catalog,
    policy: Policy,
    settings: Settings,
    *,
    phone: str,
    now: datetime,
    tries: int,
) -> Response:
    """The next free times, each behind a key; none: the call-back instead."""
    if tries > MAX_TRIES:
        return said.goodbye(voice.NO_CHOICE)
    if await voice.at_limit(policy, phone, now):
        limit = policy.limits.max_live_per_phone
        return said.goodbye(TooManyAppointments.message, limit=limit)
    offers = await voice.next_free(
        catalog,
        policy,
        point_slugs=settings.voice_points,
        topic_slug=settings.voice_topic,
        language=said.language,
        now=now,
    )
    if not offers:
        said.speak(voice.NO_FREE_TIMES, said.gather("/choice", tries=tries))
        return said.if_silent("/times", tries=tries + 1)
    gather = said.gather("/book", tries=tries, **offer_query(offers))
    said.speak(voice.FREE_TIMES, gather)
    for digit, offer in enumerate(offers, start=1):
        said.say(voice.spoken_offer(offer, digit, said.language), gather)
    return said.if_silent("/times", tries=tries + 1)


def trouble(request: Request, error: LoketError) -> Response:
    """A misconfigured line (say, an unknown point slug) apologises in the caller's language
    instead of leaving Twilio to announce an application error in English."""
    log.warning("voice line: %s on %s", error.code, request.url.path)
    language = ui_language(request.query_params.get("lang")) or DEFAULT_LANGUAGE
    return Answer(language).goodbye(voice.TROUBLE)


class VoiceLine(Controller):
    path = PATH
    include_in_schema = False
    exception_handlers = {LoketError: trouble}

    @post("/", status_code=HTTP_200_OK)
    async def call(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        tries: Tries = 1,
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        return language_menu(settings, tries)

    @post("/language", status_code=HTTP_200_OK)
    async def language(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        tries: Tries = 1,
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        chosen = voice.LANGUAGE_KEYS.get(data.get("Digits", ""))
        if chosen is None:
            return language_menu(settings, tries + 1)
        said = in_language(settings, chosen)
        if caller(data) is None:
            return said.goodbye(voice.SHOW_NUMBER)
        return choices_menu(said, 1)

    @post("/menu", status_code=HTTP_200_OK)
    async def menu(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        lang: Lang = DEFAULT_LANGUAGE,
        tries: Tries = 1,
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        return choices_menu(in_language(settings, lang), tries)

    @post("/choice", status_code=HTTP_200_OK)
    async def choice(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        lang: Lang = DEFAULT_LANGUAGE,
        tries: Tries = 1,
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        said = in_language(settings, lang)
        phone = caller(data)
        if phone is None:
            return said.goodbye(voice.SHOW_NUMBER)
        digit = data.get("Digits", "")
        if digit == "1":
            await voice.call_back(
                catalog,
                point_slug=settings.callback_point,
                phone=phone,
                language=said.language,
                now=clock(),
            )
            return said.goodbye(voice.CALLBACK_REQUESTED)
        if digit == "2":
            return await free_times(
                said, catalog, policy, settings, phone=phone, now=clock(), tries=1
            )
        said.speak(voice.NOT_A_CHOICE)
        return choices_menu(said, tries + 1)

    @post("/times", status_code=HTTP_200_OK)
    async def times(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        lang: Lang = DEFAULT_LANGUAGE,
        tries: Tries = 1,
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        said = in_language(settings, lang)
        phone = caller(data)
        if phone is None:
            return said.goodbye(voice.SHOW_NUMBER)
        return await free_times(
            said, catalog, policy, settings, phone=phone, now=clock(), tries=tries
        )

    @post("/book", status_code=HTTP_200_OK)
    async def book(
        self,
        request: Request,
        data: TwilioForm,
        settings: NamedDependency[Settings],
        catalog: NamedDependency[Catalog],
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
        worker: NamedDependency[InProcess],
        lang: Lang = DEFAULT_LANGUAGE,
        tries: Tries = 1,
    ) -> Response:
        if not signed_by_twilio(request, data, settings):
            return refused()
        said = in_language(settings, lang)
        phone = caller(data)
        if phone is None:
            return said.goodbye(voice.SHOW_NUMBER)
        chosen = offered(request.query_params, data.get("Digits", ""))
        if chosen is None:
            said.speak(voice.NOT_A_CHOICE)
            return await free_times(
                said, catalog, policy, settings, phone=phone, now=clock(), tries=tries + 1
            )
        point_id, start = chosen
        now = clock()
        try:
            booked = await voice.book(
                catalog,
                policy,
                point_id=point_id,
                topic_slug=settings.voice_topic,
                language=said.language,
                start=start,
                phone=phone,
                now=now,
            )
        except (SlotTaken, SlotNotOffered):
            said.speak(voice.TAKEN)
            return await free_times(said, catalog, policy, settings, phone=phone, now=now, tries=1)
        worker.wake()
        when = format_instant(booked.starts_at, booked.point.tz, said.language)
        return said.goodbye(voice.BOOKED, when=when)
