"""The back office's rough edges of issue 16, through the pages: each account's language,
switched in the header (the login page follows the browser), language names and places in
the agendas, the day's counts on the home page, no time chosen for the consultant, and
errors and unknown points as 404 pages in the staff layout."""

import re
from datetime import timedelta

import pytest

from booking.db.tables import Appointment, InviteAttendee, Message, StaffAccount
from booking.services import agenda
from booking.services.auth.accounts import create_account
from tests import factories
from tests.conftest import NOW
from tests.staff_login import PASSWORD, csrf, log_in
from tests.web.test_api import TUESDAY, VEGHEL_HOURS

EMAIL = "agnieszka@example.nl"


@pytest.fixture
async def desk(db):
    north = await factories.region("noordoost-brabant")
    veghel = await factories.point(north, hours=VEGHEL_HOURS)
    den_bosch = await factories.point(north, slug="den-bosch", hours=VEGHEL_HOURS)
    topic = await factories.topic()
    agnieszka = await factories.staff(veghel, ["pl", "nl"], hours=VEGHEL_HOURS, name="Agnieszka")
    await factories.staff(veghel, ["nl"], hours=VEGHEL_HOURS, name="Sanne")
    await create_account(
        email=EMAIL, name="Agnieszka", password=PASSWORD, role="consultant", region_id=north,
        staff_id=agnieszka,
    )  # fmt: skip
    return {"veghel": veghel, "den_bosch": den_bosch, "topic": topic}


async def choose(client, language: str, back: str = "/staff/agenda"):
    token = await csrf(client, "/staff/")
    return await client.post(
        "/staff/language", data={"_csrf_token": token, "language": language, "next": back}
    )


async def walk_in(client, desk, language: str = "pl") -> None:
    response = await client.post(
        f"/staff/points/{desk['veghel']}/walk-in",
        data={
            "_csrf_token": await csrf(client, "/staff/"),
            "topic": str(desk["topic"]),
            "language": language,
            "first_name": "Ola",
        },
    )
    assert response.status_code == 303, response.text


async def test_the_back_office_speaks_the_language_each_account_chose(client, desk):
    client.cookies.set("lang", "pl")  # the migrants' pages' choice does not count here
    login = await client.get("/staff/login", headers={"accept-language": "ro-RO,ro;q=0.9,en;q=0.5"})
    assert '<html lang="ro">' in login.text
    await log_in(client, EMAIL)
    home = await client.get("/staff/", headers={"accept-language": "ro"})
    assert '<html lang="nl">' in home.text and 'id="staff-language"' in home.text

    switched = await choose(client, "pl")
    assert (switched.status_code, switched.headers["location"]) == (303, "/staff/agenda")
    row = await StaffAccount.select(StaffAccount.language).where(StaffAccount.email == EMAIL)
    assert row == [{"language": "pl"}]
    home = await client.get("/staff/")
    assert '<html lang="pl">' in home.text and "Wyloguj" in home.text

    assert (await choose(client, "xx")).status_code == 422
    assert (await choose(client, "lt")).status_code == 422  # a page language, not a staff one
    assert home.text.count('<option value="') == 6  # nl en pl ro bg uk
    away = await choose(client, "ro", back="https://example.com/staff/")
    assert away.headers["location"] == "/staff/"
    profile = await client.get("/staff/profile")
    assert profile.status_code == 200 and 'value="ro" checked' in profile.text
    assert 'href="/staff/login/factor"' in profile.text


async def test_agendas_name_the_language_and_my_agenda_says_where(client, desk):
    await log_in(client, EMAIL)
    await walk_in(client, desk)
    point = await client.get(f"/staff/points/{desk['veghel']}/agenda")
    assert "<td>Pools</td>" in point.text and "<th>Waar</th>" not in point.text
    mine = await client.get("/staff/agenda")
    row = re.search(r'<tr id="appointment-\d+">.*?</tr>', mine.text, re.S).group(0)
    assert (
        "<th>Waar</th>" in mine.text and "<td>Pools</td>" in row and "<td>Point veghel</td>" in row
    )
    await choose(client, "pl")
    assert "<td>polski</td>" in (await client.get("/staff/agenda")).text


async def test_the_home_page_counts_today_per_point_and_in_total(client, desk, clock):
    await log_in(client, EMAIL)
    await walk_in(client, desk)
    await walk_in(client, desk, "nl")
    [walked] = await Appointment.select(Appointment.id).where(Appointment.language == "nl")
    await Message.insert(
        Message(channel="sms", kind="confirmation", appointment=walked["id"], language="nl",
                status=Message.FAILED, due_at=NOW, created_at=NOW),
    )  # fmt: skip
    later = NOW + timedelta(days=2)
    [handover] = await Appointment.insert(
        Appointment(
            point=desk["den_bosch"], topic=desk["topic"], language="ro", channel="handover",
            status="confirmed", starts_at=later, ends_at=later + timedelta(hours=1),
            created_at=NOW, updated_at=NOW,
        )
    )  # fmt: skip
    await InviteAttendee.insert(
        InviteAttendee(appointment=handover["id"], role="agency", email="a@agency.example"),
        InviteAttendee(appointment=handover["id"], role="interpreter", email="i@tolk.example"),
    )
    await agenda.request_callback(desk["den_bosch"], "+48601234567", "pl", NOW)
    home = (await client.get("/staff/")).text
    cells = {
        point: re.search(
            rf'<a href="/staff/points/{desk[point]}/agenda">.*?</td>((?:<td>\d+</td>){{4}})</tr>',
            home,
        ).group(1)
        for point in ("veghel", "den_bosch")
    }
    assert cells == {
        "veghel": "<td>2</td><td>0</td><td>1</td><td>0</td>",
        "den_bosch": "<td>0</td><td>1</td><td>0</td><td>1</td>",
    }
    total = re.search(r"<tfoot>.*?</tfoot>", home, re.S).group(0)
    assert re.findall(r">(\d+)<", total) == ["2", "1", "1", "1"]


async def test_booking_for_a_caller_chooses_no_time_for_the_consultant(client, desk):
    await log_in(client, EMAIL)
    page = await client.get(
        f"/staff/points/{desk['veghel']}/book",
        params={"topic": desk["topic"], "language": "pl", "day": TUESDAY},
    )
    radios = re.findall(r'<input type="radio" name="start"[^>]*>', page.text)
    assert radios and not any("checked" in r for r in radios)


async def test_unknown_points_topics_and_pages_are_404_in_the_right_layout(client, desk):
    assert (await client.get("/pl/t/nope")).status_code == 404
    assert (await client.get("/pl/t/housing/p/nowhere")).status_code == 404
    await log_in(client, EMAIL)
    for url in (
        f"/staff/points/{desk['veghel'] + 999}/agenda",
        "/staff/points/999/book",
        "/staff/nope",
    ):
        page = await client.get(url)
        assert page.status_code == 404, url
        assert '<header class="bar">' in page.text and "<footer" not in page.text, url
        assert 'href="/staff/"' in page.text, url
    inside = await client.get("/staff/points/999/agenda")
    assert 'action="/staff/logout"' in inside.text  # logged in: the whole staff menu
