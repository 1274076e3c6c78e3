"""Every standard text message fits two SMS parts in all six languages, worst case."""

from datetime import UTC, datetime, timedelta

import pytest

from booking.domain.opening_hours import zone
from booking.i18n import UI_LANGUAGES
from booking.notify import texts
from booking.notify.gsm import is_gsm7, segments
from booking.services import demo_data

AMS = zone("Europe/Amsterdam")
LINK = "https://loket.example.nl/m/" + "x" * 16
WITH_APPOINTMENT = (
    texts.CONFIRMATION,
    texts.REMINDER,
    texts.CHANGE,
    texts.CANCELLATION,
    texts.REPLY_THANKS,
)
PLAIN = (texts.REPLY_HELP, texts.REPLY_STOPPED, texts.REPLY_STARTED, texts.REPLY_NOTHING)


def longest_when(language: str) -> datetime:
    days = (datetime(2027, 1, 1, 17, 30, tzinfo=UTC) + timedelta(days=n) for n in range(365))
    return max(days, key=lambda d: len(texts.when(d, AMS, language)))


def places(language: str) -> list[str]:
    addresses = [
        texts.where("physical", p[4], p[5], None, language) for p in demo_data.POINTS if p[4]
    ]
    stops = [texts.where("mobile", "", "", visit[3], language) for visit in demo_data.BUS_VISITS]
    return [
        *addresses,
        *stops,
        texts.where("phone", "", "", None, language),
        texts.where("video", "", "", None, language),
    ]


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_every_message_fits_two_parts(language):
    start = longest_when(language)
    bodies = [texts.code_message("123456", 10, language)]
    for where in places(language):
        about = texts.About(start=start, tz=AMS, where=where, link=LINK)
        bodies += [texts.render(template, language, about) for template in WITH_APPOINTMENT]
        bodies.append(texts.render(texts.OFFER, language, about, minutes=15))
    bodies += [texts.render(template, language) for template in PLAIN]
    for body in bodies:
        encoding, parts = segments(body)
        assert parts <= 2, (language, encoding, len(body), body)
        if language in ("nl", "en", "pl", "ro"):
            assert is_gsm7(body), body
        assert "\u202f" not in body and "\u00a0" not in body


def test_messages_are_in_the_migrants_language_with_the_point_time():
    about = texts.About(
        start=datetime(2026, 12, 1, 17, 30, tzinfo=UTC),
        tz=AMS,
        where="Kennedylaan 21, Veghel",
        link=LINK,
    )
    assert texts.render(texts.REMINDER, "pl", about) == (
        f"Loket przypomina: wt. 1 gru, 18:30, Kennedylaan 21, Veghel. Odpisz 1 = przyjde, 2 = odwoluje. {LINK}"
    )
    assert texts.render(texts.CONFIRMATION, "uk", about).startswith(
        "Loket: запис вт 1 груд., 18:30"
    )
