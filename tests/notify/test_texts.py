"""Every standard text message fits two SMS parts in all 16 languages, worst case.

Worst case: the longest date of a year in the language, every place of the demo data
(addresses, bus stops, by phone, by video) and every agency of it with every place a
handover can have (its own office, any point, video), a link of ``texts.LINK_ROOM``
characters. Texts shorten by design (booking/notify/texts.py), never by cutting a word.
"""

from datetime import UTC, datetime, timedelta

import pytest

from booking.domain.opening_hours import zone
from booking.i18n import UI_LANGUAGES
from booking.notify import texts
from booking.notify.gsm import LATIN_LANGUAGES, is_gsm7, segments
from booking.services import demo_data

AMS = zone("Europe/Amsterdam")
LINK = "https://loket.example.nl/m/" + "x" * (texts.LINK_ROOM - 27)
START_PAGE = "https://loket.example.nl/pl/"
WITH_APPOINTMENT = (texts.CONFIRMATION, texts.REMINDER, texts.CHANGE, texts.CANCELLATION)
PLAIN = (texts.REPLY_HELP, texts.REPLY_STOPPED, texts.REPLY_STARTED, texts.REPLY_NOTHING)


def longest_when(language: str) -> datetime:
    days = (datetime(2027, 1, 1, 17, 30, tzinfo=UTC) + timedelta(days=n) for n in range(365))
    return max(days, key=lambda d: len(texts.when(d, AMS, language)))


def point_places(language: str) -> list[tuple[str, ...]]:
    return [
        texts.where(kind, address, city, None, language)
        for _, _, _, kind, address, city, *_ in demo_data.POINTS
    ]


def places(language: str) -> list[tuple[str, ...]]:
    stops = [texts.where("mobile", "", "", visit[3], language) for visit in demo_data.BUS_VISITS]
    return [*point_places(language), *stops, texts.where("video", "", "", None, language)]


def handover_places(address: str, language: str) -> list[tuple[str, ...]]:
    street, _, town = address.rpartition(",")
    office = texts.where("physical", street, town, None, language)
    return [office, *point_places(language), texts.where("video", "", "", None, language)]


def bodies(language: str) -> list[str]:
    start = longest_when(language)
    out = [texts.code_message("123456", 10, language)]
    for where in places(language):
        about = texts.About(start=start, tz=AMS, where=where, link=LINK)
        out += [texts.render(template, language, about) for template in WITH_APPOINTMENT]
        out.append(texts.render(texts.OFFER, language, about, minutes=15))
    for _, agency, _, _, address, _ in demo_data.AGENCIES:
        for where in handover_places(address, language):
            for interpreted in (False, True):
                about = texts.About(start, AMS, where, LINK, agency, interpreted)
                out.append(texts.render(texts.confirmation(about), language, about))
    when = texts.when(start, AMS, language)
    out.append(texts.render(texts.REPLY_THANKS, language, when=when))
    return out + [texts.render(template, language) for template in PLAIN]


def test_the_test_covers_every_language_and_kind_of_message():
    assert len(UI_LANGUAGES) == 16 and UI_LANGUAGES[-1] == "ar"
    points, agencies = len(demo_data.POINTS), len(demo_data.AGENCIES)
    stops = len(demo_data.BUS_VISITS)
    handovers = agencies * (1 + points + 1) * 2
    assert len(bodies("pl")) == 1 + 5 * (points + stops + 1) + handovers + 1 + len(PLAIN)


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_every_message_fits_two_parts(language):
    for body in bodies(language):
        encoding, parts = segments(body)
        assert parts <= 2, (language, encoding, len(body), body)
        if language in LATIN_LANGUAGES:
            assert is_gsm7(body), body
        assert "\u202f" not in body and "\u00a0" not in body and "  " not in body, body
        assert "%(" not in body, body


@pytest.mark.parametrize("language", [lang for lang in UI_LANGUAGES if lang != "en"])
def test_every_message_is_translated(language):
    english = bodies("en")
    translated = bodies(language)
    assert all(t != e for t, e in zip(translated[1:], english[1:], strict=True)), language


def test_a_text_that_would_not_fit_names_the_town_then_no_place_never_half_a_word():
    start = longest_when("bg")
    where = ("Claudius Prinsenlaan 10, Breda", "Breda")
    agency = "Gemeente Meierijstad - Burgerzaken (BRP/RNI)"
    about = texts.About(start, AMS, where, LINK, agency, True)
    body = texts.render(texts.HANDOVER_INTERPRETED, "bg", about)
    assert "Gemeente Meierijstad," in body and "Burgerz" not in body
    assert segments(body)[1] <= 2
    english = texts.render(texts.HANDOVER_INTERPRETED, "en", about)
    assert english.startswith(
        "Loket: appointment with Gemeente Meierijstad - Burgerzaken (BRP/RNI), "
    )
    assert "Claudius Prinsenlaan 10, Breda, with an interpreter." in english


def test_agency_names_shorten_by_whole_words():
    assert texts.agency_names("Gemeente Meierijstad - Burgerzaken (BRP/RNI)") == (
        "Gemeente Meierijstad - Burgerzaken (BRP/RNI)",
        "Gemeente Meierijstad - Burgerzaken",
        "Gemeente Meierijstad",
    )
    assert texts.agency_names("IND") == ("IND",)
    assert texts.where("physical", "Stadhuisplein 1", " Veghel", None, "nl") == (
        "Stadhuisplein 1, Veghel",
        "Veghel",
    )


def test_messages_are_in_the_migrants_language_with_the_point_time():
    about = texts.About(
        start=datetime(2026, 12, 1, 17, 30, tzinfo=UTC),
        tz=AMS,
        where=("Kennedylaan 21, Veghel", "Veghel"),
        link=LINK,
    )
    assert texts.render(texts.REMINDER, "pl", about) == (
        f"Loket przypomina: wt. 1 gru, 18:30, Kennedylaan 21, Veghel. Odpisz 1 = przyjde, 2 = odwolam. {LINK}"
    )
    assert texts.render(texts.REMINDER, "nl", about).startswith("Herinnering van Loket: di 1 dec")
    assert texts.render(texts.CONFIRMATION, "uk", about).startswith(
        "Loket: запис вт 1 груд., 18:30"
    )
    cancelled = texts.render(texts.CANCELLATION, "pl", replace_link(about, START_PAGE))
    assert cancelled.endswith(f"zostala odwolana. Umow nowa wizyte: {START_PAGE}")


def replace_link(about: texts.About, link: str) -> texts.About:
    return texts.About(about.start, about.tz, about.where, link)
