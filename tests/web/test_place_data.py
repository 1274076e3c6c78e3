"""Place data in every language (issue 14 item 2): what migrants read about points, bus
stops and topics follows their language, then English, then Dutch, then the plain name;
coordinators edit it per language on the master-data screens."""

import re
from datetime import date

import pytest

from booking.db.tables import Message, MobileVisit, Point, StaffAccount, Topic
from booking.i18n import DATA_LANGUAGES, UI_LANGUAGES
from booking.services.demo import load_demo
from booking.services.demo_texts import POINT_TEXTS, STOP_TEXTS, TOPIC_TEXTS
from tests import factories
from tests.factories import hhmm
from tests.web.test_admin import logged_in, world  # noqa: F401 (a fixture)
from tests.web.test_pages import form_post, start_of, times_on


@pytest.fixture
async def places(db):
    north = await factories.region()
    veghel = await factories.point(north)
    bus = await factories.point(north, slug="bus", kind=Point.MOBILE, hours=())
    phone = await factories.point(north, slug="phone", kind=Point.PHONE)
    await Point.update(
        {
            Point.name_i18n: {"pl": "Punkt Veghel", "en": "Veghel point", "nl": "Punt Veghel"},
            Point.directions: {"en": "Ring the bell.", "pl": "Zadzwoń dzwonkiem."},
        }
    ).where(Point.id == veghel)
    await Point.update({Point.name_i18n: {"nl": "Telefonisch spreekuur"}}).where(Point.id == phone)
    await MobileVisit.insert(
        MobileVisit(
            point=bus,
            day=date(2026, 12, 3),
            opens=hhmm("15:00"),
            closes=hhmm("20:00"),
            place="Woonlocatie Boekel",
            place_i18n={"pl": "Kwatery w Boekel", "en": "Boekel housing site"},
            directions={"pl": "Przy wejściu, obok biura."},
        )
    )
    topic = await factories.topic()
    await Topic.update({Topic.bring: {"pl": "Umowa najmu.", "nl": "Uw huurcontract."}}).where(
        Topic.id == topic
    )


def cards(html: str) -> list[str]:
    """Each point's card on the topic page, as its text without tags."""
    return [re.sub(r"<[^>]+>", " ", c) for c in html.split('class="choice"')[1:]]


async def test_each_field_falls_back_to_english_then_dutch_then_the_plain_name(client, places):
    polish = (await client.get("/pl/t/housing")).text
    romanian = (await client.get("/ro/t/housing")).text
    assert "<strong>Punkt Veghel</strong>" in polish
    assert "<strong>Veghel point</strong>" in romanian
    assert "<strong>Telefonisch spreekuur</strong>" in romanian  # Dutch only
    assert "<strong>Point bus</strong>" in romanian  # no translation: the plain name
    assert "Kwatery w Boekel" in polish
    assert "Boekel housing site" in romanian and "Woonlocatie" not in romanian
    assert "Umowa najmu." in polish
    assert "Uw huurcontract." in romanian  # no English: Dutch


async def test_the_booking_pages_name_the_point_in_the_page_s_language(client, places):
    days = (await client.get("/pl/t/housing/p/veghel")).text
    assert "Mieszkanie · Punkt Veghel" in days
    start = "2026-12-01T18:30:00+01:00"
    details = (await client.get("/ro/t/housing/p/veghel/book", params={"start": start})).text
    assert "Veghel point, Kennedylaan 21, Veghel<br>Ring the bell.</dd>" in details


async def test_a_coordinator_edits_translations_in_every_data_language(client, world):  # noqa: F811
    me = await logged_in(client)
    veghel = world["veghel"]
    form = (await client.get(f"/staff/admin/points/{veghel}")).text
    inputs = re.findall(r'name="name_i18n_([a-z]+)"[^>]* lang="([a-z]+)" dir="auto"', form)
    assert [code for code, _ in inputs] == list(DATA_LANGUAGES) and len(inputs) == 16
    assert '<details class="translations"' in form
    saved = await me.post(
        f"/staff/admin/points/{veghel}",
        name="BMIP Veghel",
        slug="veghel",
        kind="physical",
        region=str(world["north"]),
        timezone="Europe/Amsterdam",
        name_i18n_lt="Informacijos punktas Veghel",
        name_i18n_ar="نقطة المعلومات في Veghel",
        directions_pl="Wejście z boku.",
        active="on",
    )
    assert saved.status_code == 303
    row = await Point.select().where(Point.id == veghel).first().output(load_json=True)
    assert row["name"] == "BMIP Veghel"
    assert row["name_i18n"] == {
        "lt": "Informacijos punktas Veghel",
        "ar": "نقطة المعلومات في Veghel",
    }
    assert row["directions"] == {"pl": "Wejście z boku."}
    shown = (await client.get(saved.headers["location"])).text
    assert "2 of 16 languages" in shown and 'value="نقطة المعلومات في Veghel"' in shown
    start = "2026-12-01T18:30:00+01:00"
    details = await client.get("/pl/t/housing/p/veghel/book", params={"start": start})
    assert "<br>Wejście z boku.</dd>" in details.text


async def test_stops_and_what_to_bring_are_edited_per_language(client, world):  # noqa: F811
    me = await logged_in(client)
    added = await me.post(
        f"/staff/admin/points/{world['veghel']}/visits",
        day="2026-12-10",
        opens="10:00",
        closes="14:00",
        place="Vleesverwerker Oss",
        place_i18n_pl="Zakład mięsny Oss",
        directions_tr="Yemekhanenin önünde.",
    )
    assert added.status_code == 303
    visit = await MobileVisit.select().first().output(load_json=True)
    assert (visit["place_i18n"], visit["directions"]) == (
        {"pl": "Zakład mięsny Oss"},
        {"tr": "Yemekhanenin önünde."},
    )
    topic = world["topic"]
    changed = await me.post(
        f"/staff/admin/topics/{topic}",
        slug="housing",
        name_en="Housing",
        bring_uk="Договір оренди.",
        bring_es="El contrato de alquiler.",
        duration_minutes="30",
        position="0",
        active="on",
    )
    assert changed.status_code == 303
    row = await Topic.select(Topic.bring).where(Topic.id == topic).first().output(load_json=True)
    assert row["bring"] == {"uk": "Договір оренди.", "es": "El contrato de alquiler."}


async def test_a_too_long_translation_is_refused_in_the_coordinator_s_language(
    client,
    world,  # noqa: F811
):
    await StaffAccount.update({StaffAccount.language: "nl"}).where(
        StaffAccount.email == "coordinator@example.nl"
    )
    me = await logged_in(client)
    veghel = world["veghel"]
    before = await Point.select().where(Point.id == veghel).first().output(load_json=True)
    refused = await me.post(
        f"/staff/admin/points/{veghel}",
        name="BMIP Veghel",
        slug="veghel",
        kind="physical",
        region=str(world["north"]),
        timezone="Europe/Amsterdam",
        name_i18n_pl="Punkt Veghel",
        directions_ar="x" * 501,
    )
    assert refused.status_code == 422
    assert "mag hoogstens 500 tekens lang zijn" in refused.text
    assert 'value="Punkt Veghel"' in refused.text  # what was typed comes back
    after = await Point.select().where(Point.id == veghel).first().output(load_json=True)
    assert after == before


@pytest.mark.parametrize("lang", UI_LANGUAGES)
async def test_the_telephone_card_says_each_sentence_once(client, db, lang):
    await load_demo(today=date(2026, 12, 1))
    html = (await client.get(f"/{lang}/t/housing")).text
    phone = next(c for c in html.split("<li>") if "/p/telefoon" in c)
    sentences = [s.strip() for s in re.findall(r"<span>([^<]+)</span>", phone)]
    assert len(sentences) == 2 and len(set(sentences)) == 2, sentences
    assert "<strong>Telefonisch spreekuur</strong>" not in phone or lang == "nl"


async def test_the_confirmation_text_names_the_stop_in_the_migrant_s_language(client, places):
    bus = (await Point.select(Point.id).where(Point.slug == "bus").first())["id"]
    await factories.staff(bus, ["pl"], name="Tomasz")
    day = await client.get("/pl/t/housing/p/bus/2026-12-03")
    slot = times_on(day.text)[0]
    held = await form_post(
        client, slot, "/pl/t/housing/p/bus/book", start=start_of(slot), phone="+48 601 234 567"
    )
    assert held.status_code == 303
    code_page = held.headers["location"]
    confirmed = await form_post(client, code_page, code_page, code=await factories.sms_code())
    assert confirmed.status_code == 303
    message = await Message.select(Message.id).where(Message.kind == Message.CONFIRMATION).first()
    text = await factories.as_sent(message["id"])
    assert "Kwatery w Boekel" in text and "Woonlocatie" not in text
    manage = (await client.get(confirmed.headers["location"])).text
    assert "Kwatery w Boekel<br>Przy wejściu, obok biura.</dd>" in manage


def test_the_demo_carries_every_text_in_all_16_languages():
    fields = [
        *(texts for point in POINT_TEXTS.values() for texts in point.values()),
        *(texts for stop in STOP_TEXTS.values() for texts in stop.values()),
        *(texts for topic in TOPIC_TEXTS.values() for texts in topic.values()),
    ]
    assert len(fields) == 8 * 2 + 6 + 3 * 2 + 14 * 3
    for texts in fields:
        assert list(texts) == list(DATA_LANGUAGES) and all(t.strip() for t in texts.values())


async def test_the_directory_api_names_points_and_stops_in_the_asked_language(client, places):
    points = {p["slug"]: p for p in (await client.get("/api/points?lang=pl")).json()}
    assert points["veghel"]["name"] == "Punkt Veghel"
    assert points["bus"]["name"] == "Point bus"
    [visit] = [d for d in points["bus"]["exceptions"] if d["kind"] == "visit"]
    assert visit["note"] == "Kwatery w Boekel"
    english = {p["slug"]: p for p in (await client.get("/api/points?lang=en")).json()}
    assert english["veghel"]["name"] == "Veghel point"
