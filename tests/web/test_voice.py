"""The voice line: TwiML steps from the language menu to a call-back or a booked time."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import httpx
import pytest
from twilio.request_validator import RequestValidator

from booking.app import create_app
from booking.db.tables import Appointment, CallbackRequest, Message, MigrantContact, Point
from booking.settings import Settings
from tests import factories
from tests.conftest import Clock
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.web.test_api import VEGHEL_HOURS

PUBLIC = "https://loket.example.nl"
LINE = "/webhooks/twilio/voice"
CALLER = "+48601234567"
POLISH_VOICE = {"voice": "Google.pl-PL-Standard-A", "language": "pl-PL"}
#: Tuesday and Thursday mornings: the telephone hour.
PHONE_HOURS = (((1, 3), "10:00", "12:00"),)


@asynccontextmanager
async def voice_client(
    settings: Settings, clock: Clock, **changes: object
) -> AsyncIterator[httpx.AsyncClient]:
    line_settings = {
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "public_base_url": PUBLIC,
        "secret_key": "voice-tests-" + "k" * 32,  # https is production: no development key
        "voice_points": ("veghel", "telefoon"),
        "voice_topic": "referral",
        "callback_point": "telefoon",
    }
    configured = replace(settings, **(line_settings | changes))
    transport = httpx.ASGITransport(app=create_app(configured, clock=clock))
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as http:
        yield http


@pytest.fixture
async def twilio_client(db, settings, clock) -> AsyncIterator[httpx.AsyncClient]:
    async with voice_client(settings, clock) as http:
        yield http


@pytest.fixture
async def line(db) -> dict[str, int]:
    region = await factories.region()
    veghel = await factories.point(region, hours=VEGHEL_HOURS)
    telefoon = await factories.point(region, "telefoon", hours=PHONE_HOURS, kind=Point.PHONE)
    topic = await factories.topic("referral")
    await factories.staff(veghel, ["pl", "nl"], hours=VEGHEL_HOURS, name="Agnieszka")
    await factories.staff(telefoon, ["pl"], hours=PHONE_HOURS, name="Piotr")
    return {"veghel": veghel, "telefoon": telefoon, "topic": topic}


def signed(url: str, form: dict[str, str], *, forged: bool = False) -> dict[str, str]:
    """Twilio signs the public URL it calls, query string included."""
    token = "wrong-token" if forged else AUTH_TOKEN
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, form)}


def twilio_form(digits: str | None, caller: str) -> dict[str, str]:
    form = {"AccountSid": ACCOUNT_SID, "CallSid": "CA" + "1" * 32, "From": caller}
    form |= {"To": "+3185000000", "CallStatus": "in-progress"}
    return form if digits is None else {**form, "Digits": digits}


async def from_twilio(
    client: httpx.AsyncClient, url: str, digits: str | None = None, caller: str = CALLER
) -> ElementTree.Element:
    """Posts to a URL as our TwiML gave it (absolute, public) and parses the TwiML answer."""
    url = url if url.startswith(PUBLIC) else PUBLIC + url
    form = twilio_form(digits, caller)
    response = await client.post(url.removeprefix(PUBLIC), data=form, headers=signed(url, form))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return ElementTree.fromstring(response.text)  # noqa: S314 (Loket's own TwiML)


def says(element: ElementTree.Element) -> list[dict[str, str]]:
    return [{"text": say.text or "", **say.attrib} for say in element.iter("Say")]


def polish(text: str) -> dict[str, str]:
    """A line said in Polish: the text as a Polish speaker wrote it, not as the code builds it."""
    return {"text": text, **POLISH_VOICE}


NO_CHOICE_PL = "Nie wybrano żadnej opcji. Zadzwoń ponownie. Do widzenia."
NOT_A_CHOICE_PL = "Nie ma takiej opcji."
CHOICES_PL = (
    "Naciśnij 1, jeśli chcesz, żebyśmy oddzwonili do Ciebie w czasie dyżuru telefonicznego."
    " Naciśnij 2, aby usłyszeć najbliższe wolne terminy."
)
CALLBACK_PL = "Dziękujemy. Oddzwonimy do Ciebie w czasie dyżuru telefonicznego. Do widzenia."


def action(twiml: ElementTree.Element) -> str:
    gather = twiml.find("Gather")
    assert gather is not None and gather.get("numDigits") == "1"
    return gather.attrib["action"]


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def hung_up(twiml: ElementTree.Element) -> bool:
    return twiml.find("Hangup") is not None and twiml.find("Gather") is None


async def polish_choices(client: httpx.AsyncClient, caller: str = CALLER) -> str:
    """Calls, presses 3 for Polish, and returns where the next key goes."""
    menu = await from_twilio(client, LINE, caller=caller)
    return action(await from_twilio(client, action(menu), "3", caller=caller))


async def test_the_menu_offers_each_language_in_itself(twilio_client, line):
    menu = await from_twilio(twilio_client, LINE)
    assert action(menu) == f"{PUBLIC}{LINE}/language?tries=1"
    lines = says(menu.find("Gather"))
    assert [(s["voice"], s["language"]) for s in lines] == [
        ("Google.nl-NL-Standard-A", "nl-NL"),
        ("Google.en-GB-Standard-A", "en-GB"),
        ("Google.pl-PL-Standard-A", "pl-PL"),
        ("Google.ro-RO-Standard-A", "ro-RO"),
        ("Google.bg-BG-Standard-A", "bg-BG"),
        ("Google.uk-UA-Standard-A", "uk-UA"),
        ("Google.lt-LT-Standard-A", "lt-LT"),
        ("Google.hu-HU-Standard-A", "hu-HU"),
        ("Google.ar-XA-Standard-A", "ar-XA"),
        ("Google.en-GB-Standard-A", "en-GB"),
    ]
    assert lines[0]["text"] == "Nederlands: druk op 1."
    assert lines[2]["text"] == "Polski: naciśnij 3."
    assert lines[5]["text"] == "Українська: натисніть 6."
    assert lines[8]["text"] == "العربية: اضغط 9."
    assert lines[9]["text"] == "Other languages: press 0."
    # No key pressed: Twilio goes on past <Gather> to the menu again.
    assert menu.find("Redirect").text == f"{PUBLIC}{LINE}?tries=2"


async def test_a_wrong_key_or_silence_repeats_the_menu_then_says_goodbye(twilio_client, line):
    menu = await from_twilio(twilio_client, f"{LINE}/language?tries=1", "*")
    assert action(menu) == f"{PUBLIC}{LINE}/language?tries=2"
    menu = await from_twilio(twilio_client, menu.find("Redirect").text)
    assert action(menu) == f"{PUBLIC}{LINE}/language?tries=3"
    farewell = await from_twilio(twilio_client, menu.find("Redirect").text)
    assert hung_up(farewell)
    assert [s["language"] for s in says(farewell)] == [
        "nl-NL", "en-GB", "pl-PL", "ro-RO", "bg-BG", "uk-UA", "lt-LT", "hu-HU", "ar-XA",
    ]  # fmt: skip
    assert says(farewell)[2]["text"] == NO_CHOICE_PL
    # The same in the two choices, in the caller's language.
    choices = await from_twilio(twilio_client, f"{LINE}/choice?lang=pl&tries=1", "7")
    assert says(choices)[0] == polish(NOT_A_CHOICE_PL)
    assert action(choices) == f"{PUBLIC}{LINE}/choice?lang=pl&tries=2"


async def test_0_offers_the_other_seven_languages_and_0_again_the_first_nine(twilio_client, line):
    menu = await from_twilio(twilio_client, LINE)
    more = await from_twilio(twilio_client, action(menu), "0")
    assert action(more) == f"{PUBLIC}{LINE}/language?tries=1&more=1"
    lines = says(more.find("Gather"))
    assert [s["text"] for s in lines] == [
        "Latviešu: 1.",
        "Slovenčina: stlačte 2.",
        "Čeština: stiskněte 3.",
        "Português: prima 4.",
        "Español: pulse 5.",
        "Русский: нажмите 6.",
        "Türkçe: 7 tuşuna basın.",
        "Back to the first languages: press 0.",
    ]
    assert lines[5]["language"] == "ru-RU" and lines[0]["language"] == "en-GB"
    assert more.find("Redirect").text == f"{PUBLIC}{LINE}?tries=2&more=1"
    back = await from_twilio(twilio_client, action(more), "0")
    assert action(back) == f"{PUBLIC}{LINE}/language?tries=1"
    wrong = await from_twilio(twilio_client, action(more), "9")
    assert action(wrong) == f"{PUBLIC}{LINE}/language?tries=2&more=1"


async def test_a_latvian_caller_books_in_latvian_and_hears_english(twilio_client, line):
    """Twilio has no Latvian voice: the line speaks English, the appointment stays Latvian."""
    more = await from_twilio(twilio_client, action(await from_twilio(twilio_client, LINE)), "0")
    choices = await from_twilio(twilio_client, action(more), "1")
    assert action(choices) == f"{PUBLIC}{LINE}/choice?lang=lv&tries=1"
    assert says(choices.find("Gather"))[0]["language"] == "en-GB"
    done = await from_twilio(twilio_client, action(choices), "1")
    assert hung_up(done) and says(done)[0]["text"].startswith("Thank you.")
    request = await CallbackRequest.select().first()
    assert request["language"] == "lv"


async def test_polish_then_1_asks_for_a_call_back(twilio_client, line):
    menu = await from_twilio(twilio_client, LINE)
    choices = await from_twilio(twilio_client, action(menu), "3")
    assert says(choices.find("Gather")) == [polish(CHOICES_PL)]
    assert action(choices) == f"{PUBLIC}{LINE}/choice?lang=pl&tries=1"
    assert choices.find("Redirect").text == f"{PUBLIC}{LINE}/menu?lang=pl&tries=2"

    done = await from_twilio(twilio_client, action(choices), "1")
    assert says(done) == [polish(CALLBACK_PL)] and hung_up(done)
    request = await CallbackRequest.select(
        CallbackRequest.all_columns(), CallbackRequest.contact.phone.as_alias("phone")
    ).first()
    assert request["point"] == line["telefoon"] and request["status"] == CallbackRequest.OPEN
    assert (request["language"], request["phone"]) == ("pl", CALLER)


async def test_polish_then_2_offers_three_times_and_books_one(twilio_client, line):
    times = await from_twilio(twilio_client, await polish_choices(twilio_client), "2")
    said = says(times.find("Gather"))
    assert said[0] == polish("Najbliższe wolne terminy to:")
    tuesday = "wtorek, 1 grudnia 2026"  # 11:00 is the earliest start: two hours' notice
    assert said[1:] == [
        polish(f"Aby wybrać termin {tuesday}, 11:00, miejsce: Point veghel, naciśnij 1."),
        polish(f"Aby wybrać termin {tuesday}, 11:00, naciśnij 2. Wtedy zadzwonimy do Ciebie."),
        polish(f"Aby wybrać termin {tuesday}, 11:15, miejsce: Point veghel, naciśnij 3."),
    ]
    offered = query(action(times))
    assert urlsplit(action(times)).path == f"{LINE}/book"
    assert offered["p2"] == str(line["telefoon"]) and offered["t2"] == "20261201T1000Z"

    booked = await from_twilio(twilio_client, action(times), "2")
    assert says(booked) == [
        polish(
            f"Twoja wizyta jest umówiona na {tuesday}, 11:00. Dostaniesz o tym SMS-a. Do widzenia."
        )
    ] and hung_up(booked)
    appointment = await Appointment.select().first()
    assert appointment["point"] == line["telefoon"] and appointment["topic"] == line["topic"]
    assert (appointment["status"], appointment["channel"], appointment["language"]) == (
        "confirmed",
        "phone",
        "pl",
    )
    contact = await MigrantContact.select().where(MigrantContact.id == appointment["contact"])
    assert contact[0]["phone"] == CALLER
    assert (
        await Message.count().where(
            (Message.appointment == appointment["id"]) & (Message.kind == Message.CONFIRMATION)
        )
        == 1
    )


async def test_a_time_taken_meanwhile_is_said_and_others_offered(twilio_client, line):
    times = await from_twilio(twilio_client, await polish_choices(twilio_client), "2")
    first = query(action(times))
    other = "+48601111222"
    await from_twilio(twilio_client, action(times), "1", caller=other)  # faster, same offer

    again = await from_twilio(twilio_client, action(times), "1")
    assert says(again)[0] == polish("Przepraszamy, ktoś właśnie zarezerwował ten termin.")
    offered = query(action(again))
    assert (offered["p1"], offered["t1"]) != (first["p1"], first["t1"])
    assert offered["p1"] == str(line["telefoon"])  # Veghel's 11:00 is gone
    assert await Appointment.count() == 1


async def test_a_key_that_offered_nothing_reads_the_times_again(twilio_client, line):
    times = await from_twilio(twilio_client, await polish_choices(twilio_client), "2")
    again = await from_twilio(twilio_client, action(times), "8")
    assert says(again)[0] == polish(NOT_A_CHOICE_PL)
    assert query(action(again))["tries"] == "2"
    assert await Appointment.count() == 0


async def test_no_free_times_offers_the_call_back(twilio_client, line):
    # Nobody speaks Romanian at these points.
    choices = await from_twilio(twilio_client, LINE)
    choices = await from_twilio(twilio_client, action(choices), "4")
    times = await from_twilio(twilio_client, action(choices), "2")
    said = says(times)[0]["text"]
    assert said.startswith("Nu sunt") and "Apăsați 1" in said  # Romanian, offering key 1
    assert says(times)[0]["voice"] == "Google.ro-RO-Standard-A"
    assert action(times) == f"{PUBLIC}{LINE}/choice?lang=ro&tries=1"
    done = await from_twilio(twilio_client, action(times), "1")
    assert hung_up(done) and await CallbackRequest.count() == 1


@pytest.mark.parametrize("withheld", ["anonymous", "+266696687", "+31201234567", ""])
async def test_a_withheld_or_landline_number_is_asked_to_call_again(twilio_client, line, withheld):
    menu = await from_twilio(twilio_client, LINE, caller=withheld)
    answer = await from_twilio(twilio_client, action(menu), "3", caller=withheld)
    assert says(answer) == [
        polish(
            "Zadzwoń ponownie z telefonu komórkowego, z włączonym wyświetlaniem numeru. Do widzenia."
        )
    ] and hung_up(answer)
    offer = f"{LINE}/book?lang=pl&tries=1&p1={line['veghel']}&t1=20261201T1000Z"
    refused = await from_twilio(twilio_client, offer, "1", caller=withheld)
    assert says(refused) == [
        polish(
            "Zadzwoń ponownie z telefonu komórkowego, z włączonym wyświetlaniem numeru. Do widzenia."
        )
    ]
    assert await Appointment.count() == 0 and await CallbackRequest.count() == 0


async def test_forged_or_unsigned_requests_are_refused(twilio_client, line):
    form = twilio_form("1", CALLER)
    for step in ("", "/language", "/menu", "/choice", "/times", "/book"):
        url = f"{PUBLIC}{LINE}{step}?lang=pl&tries=1&p1={line['veghel']}&t1=20261201T1000Z"
        path = url.removeprefix(PUBLIC)
        forged = await twilio_client.post(path, data=form, headers=signed(url, form, forged=True))
        unsigned = await twilio_client.post(path, data=form)
        assert forged.status_code == unsigned.status_code == 403
    # A signature for another query string does not carry over.
    honest = signed(f"{PUBLIC}{LINE}/book?lang=pl&tries=1", form)
    tampered = await twilio_client.post(f"{LINE}/book?lang=pl&tries=9", data=form, headers=honest)
    assert tampered.status_code == 403
    assert await Appointment.count() == 0 and await CallbackRequest.count() == 0


async def test_a_number_at_its_limit_is_not_offered_more_times(settings, clock, line):
    async with voice_client(settings, clock, max_live_per_phone=1) as client:
        times = await from_twilio(client, await polish_choices(client), "2")
        await from_twilio(client, action(times), "1")
        again = await from_twilio(client, await polish_choices(client), "2")
    assert says(again) == [
        polish(
            "Ten numer ma już maksymalną liczbę wizyt (1). Odwołaj jedną z nich, zanim umówisz kolejną."
        )
    ] and hung_up(again)


async def test_a_misconfigured_line_apologises_in_the_callers_language(settings, clock, line):
    async with voice_client(settings, clock, voice_topic="no-such-topic") as client:
        times = await from_twilio(client, await polish_choices(client), "2")
    assert says(times) == [
        polish("Przepraszamy, coś poszło nie tak. Zadzwoń ponownie później. Do widzenia.")
    ] and hung_up(times)
