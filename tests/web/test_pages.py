"""The migrant's pages over HTTP: language, the flow, the code, the manage link, and limits."""

import gzip
import re
from datetime import date

import httpx
import pytest
from icalendar import Calendar

from booking.db.tables import Appointment, MobileVisit
from tests import factories
from tests.factories import hhmm
from tests.page_rules import BOOKING_PAGE_BUDGET, outside_references, policy_problems
from tests.web.test_api import VEGHEL_HOURS

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture
async def veghel(db):
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS)
    await factories.topic()
    await factories.staff(point, ["pl", "nl", "en"], hours=VEGHEL_HOURS, name="Agnieszka")
    return point


async def form_post(client, page_url: str, action: str, **fields):
    """Loads the page that holds the form (for its CSRF token) and submits it."""
    page = await client.get(page_url)
    token = CSRF.search(page.text).group(1)
    return await client.post(action, data={"_csrf_token": token, **fields})


def times_on(html: str) -> list[str]:
    return re.findall(r'href="([^"]+\?start=[^"]+)"', html)


async def hold_via_pages(client, lang="pl", phone="+48 601 234 567", pick=0):
    day = await client.get(f"/{lang}/t/housing/p/veghel/2026-12-01")
    slot = times_on(day.text)[pick]
    response = await form_post(
        client, slot, f"/{lang}/t/housing/p/veghel/book", start=start_of(slot), phone=phone
    )
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


def start_of(slot_url: str) -> str:
    from urllib.parse import unquote

    return unquote(slot_url.split("start=")[1])


async def test_root_sends_each_person_to_their_language(client):
    assert (await client.get("/", headers={"accept-language": "ro-RO,ro;q=0.9"})).headers[
        "location"
    ] == "/ro/"
    assert (await client.get("/?lang=uk")).headers["location"] == "/uk/"
    assert (await client.get("/", headers={"accept-language": "de"})).headers["location"] == "/en/"
    await client.get("/bg/")
    assert (await client.get("/", headers={"accept-language": "pl"})).headers["location"] == "/bg/"


async def test_language_picker_comes_first_with_each_name_in_its_own_script(client, veghel):
    html = (await client.get("/pl/")).text
    assert html.index('class="langs"') < html.index("<main")
    for name in ("Nederlands", "English", "Polski", "Română", "Български", "Українська"):
        assert f">{name}</a>" in html
    assert 'lang="pl"' in html and "Mieszkanie" in html
    assert 'href="/ro/" lang="ro"' in html


async def test_unknown_language_or_page_is_a_friendly_404(client, veghel):
    response = await client.get("/xx/t/housing", headers={"accept-language": "uk"})
    assert response.status_code == 404 and "<html" in response.text and 'lang="uk"' in response.text
    missing = await client.get("/pl/t/no-such-topic")
    assert missing.status_code == 404 and 'role="alert"' in missing.text
    token = await client.get("/pl/m/" + "x" * 43)
    assert token.status_code == 404 and "Traceback" not in token.text


async def test_points_say_when_they_open_and_where_the_bus_stands(client, veghel):
    region = await factories.region("bus")
    bus = await factories.point(region, slug="bus", hours=(), kind="mobile")
    await MobileVisit.insert(
        MobileVisit(
            point=bus,
            day=date(2026, 12, 3),
            opens=hhmm("15:00"),
            closes=hhmm("20:00"),
            place="Woonlocatie Boekel",
            address="Kerkstraat 40",
        )
    )
    html = (await client.get("/en/t/housing")).text
    assert "Open now until 21:00" in html  # Tuesday 09:00, evening hours run on
    assert "Thursday 3 December, 15:00–20:00: Woonlocatie Boekel, Kerkstraat 40" in html


async def test_days_show_only_free_days_and_mark_evenings_and_weekends(client, veghel):
    html = (await client.get("/en/t/housing/p/veghel")).text
    days = re.findall(r'href="/en/t/housing/p/veghel/(\d{4}-\d\d-\d\d)"', html)
    assert days[0] == "2026-12-01" and "2026-12-06" not in days  # no Sunday hours
    assert "2026-12-25" not in days  # Christmas
    tuesday = html.split('2026-12-01"')[1].split("</li>")[0]
    saturday = html.split('2026-12-05"')[1].split("</li>")[0]
    assert "Evening" in tuesday and "Weekend" in saturday


async def test_each_time_has_an_accessible_name_with_the_full_date(client, veghel):
    html = (await client.get("/pl/t/housing/p/veghel/2026-12-01")).text
    assert 'aria-label="wtorek, 1 grudnia 2026, 18:30">18:30</a>' in html
    assert "start=2026-12-01T18%3A30%3A00%2B01%3A00" in html


async def gzipped(client, url: str) -> tuple[int, str, httpx.Headers]:
    """The page's size on the wire (gzipped; httpx would hand over the decompressed body),
    its text and its headers."""
    async with client.stream("GET", url, headers={"accept-encoding": "gzip"}) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.status_code == 200, url
    assert response.headers["content-encoding"] == "gzip", url
    return len(raw), gzip.decompress(raw).decode(), response.headers


@pytest.mark.parametrize("lang", ["pl", "uk", "ar"])  # Ukrainian pages are the largest
async def test_pages_stay_small_and_load_nothing_from_elsewhere(client, veghel, settings, lang):
    """Every page of the flow, from the home page to the manage link, as README promises."""
    await factories.staff(veghel, ["uk", "ar"], hours=VEGHEL_HOURS, name="Olena")
    day = f"/{lang}/t/housing/p/veghel/2026-12-01"
    slot = times_on((await client.get(day)).text)[0]
    code_page = await hold_via_pages(client, lang=lang)
    urls = [f"/{lang}/", f"/{lang}/t/housing", f"/{lang}/t/housing/p/veghel", day, slot, code_page]
    pages = {url: await gzipped(client, url) for url in urls}
    confirmed = await form_post(client, code_page, code_page, code=await factories.sms_code())
    manage = confirmed.headers["location"]
    pages[manage] = await gzipped(client, manage)
    for url, (sent, html, headers) in pages.items():
        assert sent < BOOKING_PAGE_BUDGET, (url, sent)
        assert outside_references(html, settings.public_base_url) == [], url
        assert policy_problems(headers["content-security-policy"]) == [], url
        assert headers["referrer-policy"] == "no-referrer"


async def test_forms_refuse_posts_without_the_csrf_token(client, veghel):
    response = await client.post(
        "/pl/t/housing/p/veghel/book",
        data={"start": "2026-12-01T13:00:00+01:00", "phone": "0612345678"},
    )
    assert response.status_code == 403
    assert await Appointment.count() == 0


async def test_book_with_code_then_see_the_appointment_and_its_calendar_file(client, veghel):
    code_page = await hold_via_pages(client)
    page = await client.get(code_page)
    assert "+48 *** *** 567" in page.text and "09:10" in page.text
    token = code_page.split("/")[3]

    wrong = await form_post(client, code_page, code_page, code="000001")
    assert wrong.status_code == 422 and 'role="alert"' in wrong.text

    code = await factories.sms_code()
    right = await form_post(client, code_page, code_page, code=code)
    assert right.status_code == 303
    manage = await client.get(right.headers["location"])
    assert "wtorek, 1 grudnia 2026, 11:00" in manage.text
    assert "Kennedylaan 21" in manage.text and "no-store" in manage.headers["cache-control"]
    assert f"/m/{token}</a>" in manage.text

    ics = await client.get(f"/m/{token}/appointment.ics")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert ics.headers["content-type"].startswith("text/calendar")
    assert event.start.isoformat() == "2026-12-01T11:00:00+01:00"
    assert str(event["UID"]).startswith("appointment-")
    assert "Mieszkanie" in str(event["SUMMARY"]) and f"/m/{token}" in str(event["DESCRIPTION"])
    assert (await client.get(f"/m/{token}")).headers["location"] == f"/pl/m/{token}"


async def test_the_last_wrong_code_says_the_tries_are_used_up(client, veghel):
    code_page = await hold_via_pages(client)
    wrong = "000000" if await factories.sms_code() != "000000" else "111111"
    for _ in range(4):
        assert (await form_post(client, code_page, code_page, code=wrong)).status_code == 422
    ended = await form_post(client, code_page, code_page, code=wrong)
    assert ended.status_code == 409
    assert "Kod był błędny 5 razy. Ten termin już na Ciebie nie czeka" in ended.text


async def test_a_slot_taken_meanwhile_sends_the_person_back_to_choose(client, veghel):
    day = await client.get("/en/t/housing/p/veghel/2026-12-01")
    slot = times_on(day.text)[0]
    await form_post(
        client, slot, "/en/t/housing/p/veghel/book", start=start_of(slot), phone="+40 721 234 567"
    )
    response = await form_post(
        client, slot, "/en/t/housing/p/veghel/book", start=start_of(slot), phone="+48 601 234 567"
    )
    assert response.status_code == 409
    assert 'role="alert"' in response.text and "Someone has just booked this time" in response.text
    assert start_of(slot) not in [start_of(s) for s in times_on(response.text)]


async def test_bad_phone_and_limits_are_explained_on_the_form(client, veghel):
    day = await client.get("/en/t/housing/p/veghel/2026-12-01")
    slot = times_on(day.text)[4]
    bad = await form_post(
        client, slot, "/en/t/housing/p/veghel/book", start=start_of(slot), phone="12"
    )
    assert (
        bad.status_code == 422
        and 'aria-invalid="true"' in bad.text
        and "mobile phone number" in bad.text
    )
    for pick in (8, 12, 16):
        await hold_via_pages(client, "en", pick=pick)
    limited = await form_post(
        client, slot, "/en/t/housing/p/veghel/book", start=start_of(slot), phone="+48 601 234 567"
    )
    assert limited.status_code == 429 and "most appointments it can have (3)" in limited.text


async def test_cancel_needs_a_confirmation_and_move_keeps_the_link(client, veghel):
    code_page = await hold_via_pages(client)
    token = code_page.split("/")[3]
    await form_post(client, code_page, code_page, code=await factories.sms_code())

    move_times = await client.get(f"/pl/m/{token}/move/2026-12-02")
    target = times_on(move_times.text)[3]
    confirm = await client.get(target)
    assert "2 grudnia 2026" in confirm.text
    moved = await form_post(client, target, f"/pl/m/{token}/move", start=start_of(target))
    assert moved.headers["location"] == f"/pl/m/{token}?done=moved"
    assert "środa, 2 grudnia 2026" in (await client.get(moved.headers["location"])).text

    assert (await client.get(f"/pl/m/{token}/cancel")).status_code == 200
    assert (await Appointment.select(Appointment.status).first())["status"] == "confirmed"
    cancelled = await form_post(client, f"/pl/m/{token}/cancel", f"/pl/m/{token}/cancel")
    assert cancelled.status_code == 303
    assert (await Appointment.select(Appointment.status).first())["status"] == "cancelled"


async def test_arabic_pages_run_right_to_left_with_numbers_left_to_right(client, veghel):
    arabic = (await client.get("/ar/")).text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="pl" dir="ltr">' in (await client.get("/pl/")).text
    sheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', arabic)
    css = (await client.get(sheet.group(1))).text
    assert "border-left" not in css and "left:" not in css and "margin-inline-end" in css
    details = (
        await client.get("/ar/t/housing/p/veghel/book?start=2026-12-01T18:30:00%2B01:00")
    ).text
    assert 'type="tel" dir="ltr"' in details


async def test_the_picker_offers_sixteen_languages_behind_the_current_one(client, veghel):
    html = (await client.get("/lt/")).text
    picker = html[html.index('class="langs"') : html.index("</nav>")]
    assert picker.count("<li>") == 16 and ">العربية</a>" in picker and ">Lietuvių</a>" in picker
    assert "</svg> Lietuvių</summary>" in picker


async def test_pages_share_one_style_sheet_named_by_its_bytes_and_cached_for_a_year(client, veghel):
    """The style sheet left the pages (issue 14): one file, fetched once, in every language."""
    links = set()
    for lang in ("pl", "ar"):
        html = (await client.get(f"/{lang}/")).text
        assert "<style" not in html
        links.update(
            re.findall(r'<link rel="stylesheet" href="(/style/loket-[0-9a-f]{16}\.css)">', html)
        )
    assert len(links) == 1
    sheet = await client.get(links.pop(), headers={"Accept-Encoding": "gzip"})
    assert sheet.status_code == 200
    assert sheet.headers["content-type"].startswith("text/css")
    assert sheet.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert sheet.headers["content-encoding"] == "gzip"
    assert "margin-inline" in sheet.text and "url(" not in sheet.text
    assert (await client.get("/style/loket-0000000000000000.css")).status_code == 404
