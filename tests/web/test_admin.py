"""The coordinators' master-data screens, driven through the pages as a coordinator would."""

import re
from datetime import UTC, datetime

import pytest

from booking.db.tables import (
    Agency,
    OpeningException,
    OpeningHours,
    Point,
    StaffAbsence,
    StaffAccount,
    StaffMember,
    StaffPoint,
    StaffSchedule,
    StaffSession,
    Topic,
)
from booking.domain.policy import Policy
from booking.services.auth import login
from booking.services.auth.accounts import create_account
from booking.services.master_data import affected_appointments
from booking.settings import get_settings
from tests import factories
from tests.staff_login import PASSWORD, api_token, csrf, log_in
from tests.web.test_api import VEGHEL_HOURS

POLICY = Policy.from_settings(get_settings())

TUESDAY, SATURDAY = 1, 5
CREATED = re.compile(r"/staff/admin/(?:points|staff|topics|agencies)/(\d+)")


@pytest.fixture
async def world(db):
    north, west = (
        await factories.region("noordoost-brabant"),
        await factories.region("west-brabant"),
    )
    veghel = await factories.point(north, hours=VEGHEL_HOURS)
    breda = await factories.point(west, slug="breda", hours=VEGHEL_HOURS)
    topic = await factories.topic()
    agnieszka = await factories.staff(veghel, ["pl", "nl"], hours=VEGHEL_HOURS, name="Agnieszka")
    mihaela = await factories.staff(breda, ["ro", "nl"], hours=VEGHEL_HOURS, name="Mihaela")
    west_agency = (
        await Agency.insert(Agency(slug="breda-brp", name="Gemeente Breda", region=west))
    )[0]["id"]
    accounts = {
        role: await create_account(
            email=f"{role}@example.nl",
            name=role.title(),
            password=PASSWORD,
            role=role.split("-")[0],
            region_id=west if role.endswith("west") else north,
            staff_id=agnieszka if role == "consultant" else None,
            language="en",
        )
        for role in ("consultant", "coordinator", "coordinator-west")
    }
    accounts["admin"] = await create_account(
        email="admin@example.nl", name="Admin", password=PASSWORD, role="admin", language="en"
    )
    return {
        "north": north,
        "west": west,
        "veghel": veghel,
        "breda": breda,
        "topic": topic,
        "agnieszka": agnieszka,
        "mihaela": mihaela,
        "west_agency": west_agency,
        "accounts": accounts,
    }


class Coordinator:
    """A logged-in browser: posts forms with the CSRF token, as the pages do."""

    def __init__(self, client, token: str) -> None:
        self.client, self.token = client, token

    async def post(self, url: str, **form):
        data = {k: v for k, v in form.items() if v is not None}
        return await self.client.post(url, data={"_csrf_token": self.token, **data})

    async def create(self, url: str, **form) -> int:
        response = await self.post(url, **form)
        assert response.status_code == 303, response.text
        return int(CREATED.search(response.headers["location"]).group(1))


async def logged_in(client, email: str = "coordinator@example.nl") -> Coordinator:
    assert (await log_in(client, email)).status_code == 303
    return Coordinator(client, await csrf(client, "/staff/"))


async def book(client, world, start: str) -> int:
    """A confirmed appointment booked at the desk for a caller."""
    response = await client.post(
        "/api/staff/appointments",
        json={
            "point": world["veghel"],
            "topic": world["topic"],
            "language": "pl",
            "channel": "phone",
            "start": start,
            "phone": "+48 601 234 567",
        },
        headers=await api_token(client, "consultant@example.nl"),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_a_new_point_with_evening_and_saturday_hours_is_bookable(client, world):
    me = await logged_in(client)
    point = await me.create(
        "/staff/admin/points",
        name="Informatiepunt Uden",
        slug="uden",
        kind="physical",
        region=str(world["north"]),
        address="Markt 1",
        city="Uden",
        timezone="Europe/Amsterdam",
        description_nl="Hulp na het werk",
        description_pl="Pomoc po pracy",
        closed_on_holidays="on",
        active="on",
    )
    for day, opens, closes in ((TUESDAY, "17:00", "21:00"), (SATURDAY, "10:00", "14:00")):
        added = await me.post(
            f"/staff/admin/points/{point}/hours", weekday=str(day), opens=opens, closes=closes
        )
        assert added.status_code == 303
    topic = await me.create(
        "/staff/admin/topics",
        slug="wages",
        name_en="Wages",
        name_pl="Wynagrodzenie",
        duration_minutes="30",
        position="1",
        active="on",
    )
    person = await me.create(
        "/staff/admin/staff",
        name="Katarzyna",
        kind="consultant",
        languages=["pl", "nl"],
        points=[str(point)],
        active="on",
    )
    for day, starts, ends in ((TUESDAY, "17:00", "21:00"), (SATURDAY, "10:00", "14:00")):
        added = await me.post(
            f"/staff/admin/staff/{person}/schedule",
            point=str(point),
            weekday=str(day),
            starts=starts,
            ends=ends,
        )
        assert added.status_code == 303, added.text

    saved = await Point.select().where(Point.id == point).first().output(load_json=True)
    assert (saved["region"], saved["description"]) == (
        world["north"],
        {"nl": "Hulp na het werk", "pl": "Pomoc po pracy"},
    )
    katarzyna = await StaffMember.select().where(StaffMember.id == person).first()
    assert (katarzyna["region"], sorted(katarzyna["languages"])) == (world["north"], ["nl", "pl"])
    response = await client.get(
        "/api/slots",
        params={
            "point": point,
            "topic": topic,
            "language": "pl",
            "from": "2026-12-01",
            "to": "2026-12-05",
        },
    )
    assert response.status_code == 200, response.text
    starts = [s["start"] for s in response.json()["slots"]]
    assert starts[0] == "2026-12-01T17:00:00+01:00" and "2026-12-01T20:30:00+01:00" in starts
    assert "2026-12-05T10:00:00+01:00" in starts and starts[-1] == "2026-12-05T13:30:00+01:00"
    assert {s[:10] for s in starts} == {"2026-12-01", "2026-12-05"}
    week = await client.get(f"/staff/admin/points/{point}/week?week=2026-12-01")
    assert "Katarzyna" in week.text


async def test_consultants_may_not_open_the_master_data(client, world):
    await log_in(client, "consultant@example.nl")
    token = await csrf(client, "/staff/")
    for path in (
        "/staff/admin/",
        f"/staff/admin/points/{world['veghel']}",
        f"/staff/admin/points/{world['veghel']}/week",
        "/staff/admin/staff",
        "/staff/admin/topics",
        "/staff/admin/accounts",
    ):
        assert (await client.get(path)).status_code == 403, path
    closed = await client.post(
        f"/staff/admin/points/{world['veghel']}/exceptions",
        data={"_csrf_token": token, "day": "2026-12-08", "kind": "closed"},
    )
    assert closed.status_code == 403
    assert await OpeningException.count() == 0


async def test_a_coordinator_keeps_only_their_own_region(client, world):
    me = await logged_in(client)
    breda = world["breda"]
    assert (await client.get(f"/staff/admin/points/{world['veghel']}")).status_code == 200
    for path in (
        f"/staff/admin/points/{breda}",
        f"/staff/admin/points/{breda}/hours",
        f"/staff/admin/points/{breda}/week",
        f"/staff/admin/points/{breda}/affected",
        f"/staff/admin/staff/{world['mihaela']}",
        f"/staff/admin/agencies/{world['west_agency']}",
    ):
        assert (await client.get(path)).status_code == 404, path  # as if it did not exist
    refused = [
        await me.post(f"/staff/admin/points/{breda}/hours", weekday="0", opens="08:00", closes="09:00"),
        await me.post(f"/staff/admin/staff/{world['mihaela']}/absences", starts_at="2026-12-08T09:00", ends_at="2026-12-08T17:00"),
        await me.post(f"/staff/admin/accounts/{world['accounts']['coordinator-west']}/deactivate"),
        await me.post(f"/staff/admin/accounts/{world['accounts']['admin']}/deactivate"),
    ]  # fmt: skip
    assert [r.status_code for r in refused] == [404] * 4
    # Another region is not on offer when creating either.
    moved = await me.post(
        "/staff/admin/points",
        name="Elders",
        slug="elders",
        kind="physical",
        region=str(world["west"]),
        timezone="Europe/Amsterdam",
    )
    assert moved.status_code == 422
    listing = await client.get("/staff/admin/")
    assert "Point veghel" in listing.text and "Point breda" not in listing.text
    people = await client.get("/staff/admin/staff")
    assert "Agnieszka" in people.text and "Mihaela" not in people.text
    assert await OpeningHours.count().where(OpeningHours.point == breda) == len(
        [d for days, _, _ in VEGHEL_HOURS for d in days]
    )
    assert await StaffAbsence.count() == 0 and await Point.count() == 2

    await log_in(client, "admin@example.nl")
    assert (await client.get(f"/staff/admin/points/{breda}")).status_code == 200
    assert "Point breda" in (await client.get("/staff/admin/")).text


async def test_closing_a_booked_day_lists_the_appointment_to_move(client, world, clock):
    appointment = await book(client, world, "2026-12-08T10:00:00+01:00")
    me = await logged_in(client)
    veghel = world["veghel"]
    assert await affected_appointments([veghel], clock.now) == []

    closed = await me.post(
        f"/staff/admin/points/{veghel}/exceptions",
        day="2026-12-08",
        kind="closed",
        reason="Training",
    )
    assert closed.status_code == 303
    after = await client.get(closed.headers["location"])
    assert f"/staff/appointments/{appointment}/move" in after.text
    assert f'href="/staff/appointments/{appointment}"' in after.text
    [affected] = await affected_appointments([veghel], clock.now)
    assert (affected.id, affected.outside_hours) == (appointment, True)
    point_page = await client.get(f"/staff/admin/points/{veghel}")
    assert "1 booked appointment no longer fits." in point_page.text
    listed = await client.get(f"/staff/admin/points/{veghel}/affected")
    assert f"/staff/appointments/{appointment}/move" in listed.text

    exception = await OpeningException.select().first()
    removed = await me.post(f"/staff/admin/points/{veghel}/exceptions/{exception['id']}/delete")
    assert removed.status_code == 303
    assert await affected_appointments([veghel], clock.now) == []


async def test_an_absence_over_an_appointment_names_the_consultant(client, world, clock):
    appointment = await book(client, world, "2026-12-08T18:30:00+01:00")
    me = await logged_in(client)
    person = world["agnieszka"]
    added = await me.post(
        f"/staff/admin/staff/{person}/absences",
        starts_at="2026-12-08T17:00",
        ends_at="2026-12-08T21:00",
        reason="Doctor",
    )
    assert added.status_code == 303
    absence = await StaffAbsence.select().first()
    assert (absence["starts_at"], absence["ends_at"]) == (
        datetime(2026, 12, 8, 16, 0, tzinfo=UTC),
        datetime(2026, 12, 8, 20, 0, tzinfo=UTC),
    )
    page = await client.get(added.headers["location"])
    assert f"/staff/appointments/{appointment}/move" in page.text
    [affected] = await affected_appointments([world["veghel"]], clock.now)
    assert (affected.outside_hours, affected.staff_missing) == (False, ("Agnieszka",))

    # Dropping the point from the person's points strands it too, schedule and all.
    await me.post(
        f"/staff/admin/staff/{person}/absences/{absence['id']}/delete",
    )
    dropped = await me.post(
        f"/staff/admin/staff/{person}",
        name="Agnieszka",
        kind="consultant",
        languages=["pl"],
        active="on",
    )
    assert dropped.status_code == 303
    assert await StaffPoint.count().where(StaffPoint.staff == person) == 0
    assert await StaffSchedule.count().where(StaffSchedule.staff == person) == 0
    [affected] = await affected_appointments([world["veghel"]], clock.now)
    assert affected.staff_missing == ("Agnieszka",)


async def test_the_week_preview_marks_evenings_weekends_and_holidays(client, world):
    me = await logged_in(client)
    veghel = world["veghel"]
    base = f"/staff/admin/points/{veghel}"
    await me.post(f"{base}/exceptions", day="2026-12-22", kind="closed", reason="Team day")
    await me.post(
        f"{base}/visits", day="2026-12-27", opens="18:00", closes="20:00", place="Camping De Kuilen"
    )
    page = await client.get(f"{base}/week?week=2026-12-23")
    assert page.status_code == 200
    days = dict(re.findall(r'id="day-([\d-]+)">(.*?)</td>', page.text, re.S))
    assert list(days) == [f"2026-12-{d}" for d in range(21, 28)]  # Monday to Sunday
    assert re.findall(r'class="day weekend" id="day-([\d-]+)"', page.text) == [
        "2026-12-26",
        "2026-12-27",
    ]
    assert "Team day" in days["2026-12-22"] and "part" not in days["2026-12-22"]
    assert 'class="part evening">17:00–21:00' in days["2026-12-24"]  # Thursday evening
    assert "Christmas Day" in days["2026-12-25"] and "Closed for the holiday" in days["2026-12-25"]
    assert "Second Day of Christmas" in days["2026-12-26"]  # a Saturday and a holiday
    assert "Camping De Kuilen" in days["2026-12-27"]
    assert 'class="part evening">18:00–20:00' in days["2026-12-27"]
    assert "Agnieszka" in days["2026-12-21"]

    saturday = await client.get(f"{base}/week?week=2027-01-09")
    day = re.search(r'id="day-2027-01-09">(.*?)</td>', saturday.text, re.S).group(1)
    assert '<span class="part">10:00–14:00</span>' in day
    for week in ("soon", "0001-01-01"):
        assert (await client.get(f"{base}/week?week={week}")).status_code == 422


async def test_changing_a_point_shows_what_it_strands(client, world, clock):
    appointment = await book(client, world, "2026-12-08T10:00:00+01:00")
    me = await logged_in(client)
    veghel = world["veghel"]
    changed = await me.post(
        f"/staff/admin/points/{veghel}",
        name="Informatiepunt Veghel",
        slug="veghel",
        kind="physical",
        region=str(world["north"]),
        timezone="Europe/Amsterdam",
        description_en="Information point",
        closed_on_holidays="on",
    )  # no longer active
    assert changed.status_code == 303
    page = await client.get(changed.headers["location"])
    assert (
        "Informatiepunt Veghel" in page.text and "1 booked appointment no longer fits." in page.text
    )
    saved = await Point.select().where(Point.id == veghel).first().output(load_json=True)
    assert (saved["active"], saved["description"]) == (False, {"en": "Information point"})
    [affected] = await affected_appointments([veghel], clock.now)
    assert (affected.id, affected.outside_hours) == (appointment, True)
    assert "not active" in (await client.get(f"/staff/admin/points/{veghel}/week")).text


async def test_a_remote_interpreter_works_without_a_point(client, world):
    me = await logged_in(client)
    dimitar = await me.create(
        "/staff/admin/staff",
        name="Dimitar",
        kind="interpreter",
        languages=["bg", "nl"],
        interpreter_modes=["phone"],
        points=[str(world["veghel"])],
        active="on",
    )
    added = await me.post(
        f"/staff/admin/staff/{dimitar}/schedule", weekday="1", starts="17:00", ends="21:00"
    )
    assert added.status_code == 303
    shift = await StaffSchedule.select().where(StaffSchedule.staff == dimitar).first()
    assert (shift["point"], shift["weekday"]) == (None, 1)
    page = await client.get(f"/staff/admin/staff/{dimitar}")
    assert "Any point (by phone or video)" in page.text


async def test_bad_input_is_refused_with_a_message_and_writes_nothing(client, world):
    me = await logged_in(client)
    veghel = world["veghel"]
    point = {
        "name": "Uden",
        "slug": "uden",
        "kind": "physical",
        "region": str(world["north"]),
        "timezone": "Europe/Amsterdam",
    }
    attempts = {
        "/staff/admin/points": [
            ({**point, "name": "x" * 121}, "at most 120 characters"),
            ({**point, "slug": "veghel"}, "already in use"),
            ({**point, "slug": "Uden Centrum"}, "not in the right form"),
            ({**point, "timezone": "Mars/Olympus"}, "not in the right form"),
            ({**point, "kind": "castle"}, "choose one of the options"),
            ({**point, "description_pl": "x" * 2001}, "at most 2000 characters"),
            ({**point, "name": "Uden\x00"}, "cannot be stored"),
        ],
        f"/staff/admin/points/{veghel}/hours": [
            ({"weekday": "1", "opens": "21:00", "closes": "17:00"}, "must come after"),
            ({"weekday": "7", "opens": "09:00", "closes": "17:00"}, "choose one of the options"),
            ({"weekday": "1", "opens": "9 uur", "closes": "17:00"}, "not in the right form"),
            ({"weekday": "1", "opens": "09:00+01:00", "closes": "17:00"}, "not in the right form"),
        ],
        f"/staff/admin/points/{veghel}/exceptions": [
            ({"day": "2026-12-08", "kind": "changed", "opens": "10:00"}, "Please fill in"),
            ({"day": "2026-12-08", "kind": "closed", "reason": "x" * 201}, "at most 200"),
        ],
        f"/staff/admin/points/{veghel}/visits": [
            ({"day": "2026-12-08", "opens": "10:00", "closes": "12:00"}, "Please fill in"),
        ],
        "/staff/admin/staff": [
            ({"name": "Nobody", "kind": "consultant"}, "Please fill in"),
            ({"name": "Ola", "kind": "consultant", "languages": ["pl", "xx"]}, "choose one"),
        ],
        f"/staff/admin/staff/{world['agnieszka']}/schedule": [
            ({"weekday": "1", "starts": "09:00", "ends": "12:00"}, "Only an interpreter"),
            ({"point": str(world["breda"]), "weekday": "1", "starts": "09:00", "ends": "12:00"}, "choose one"),
        ],
        f"/staff/admin/staff/{world['agnieszka']}/absences": [
            ({"starts_at": "2026-12-08T17:00", "ends_at": "2026-12-08T09:00"}, "must come after"),
            ({"starts_at": "0001-01-01T00:00", "ends_at": "2026-12-08T09:00"}, "not in the right form"),
        ],
        "/staff/admin/topics": [
            ({"slug": "housing", "name_en": "Housing", "duration_minutes": "30", "position": "0"}, "already in use"),
            ({"slug": "wages", "name_en": "Wages", "duration_minutes": "0", "position": "0"}, "whole number from 5 to 480"),
            ({"slug": "wages", "duration_minutes": "30", "position": "0"}, "Please fill in"),
        ],
        "/staff/admin/accounts": [
            ({"email": "new@example.nl", "name": "New", "password": "short", "role": "consultant", "region": str(world["north"]), "language": "nl"}, "at least 12 characters"),
            ({"email": "NEW", "name": "New", "password": PASSWORD, "role": "consultant", "region": str(world["north"]), "language": "nl"}, "not in the right form"),
            ({"email": "new@example.nl", "name": "New", "password": PASSWORD, "role": "admin", "language": "nl"}, "choose one of the options"),
            ({"email": "new@example.nl", "name": "New", "password": PASSWORD, "role": "consultant", "region": str(world["west"]), "language": "nl"}, "choose one of the options"),
            ({"email": "coordinator@example.nl", "name": "Twin", "password": PASSWORD, "role": "consultant", "region": str(world["north"]), "language": "nl"}, "already in use"),
        ],
    }  # fmt: skip
    before = await counts()
    for url, cases in attempts.items():
        for form, message in cases:
            response = await me.post(url, **form)
            assert response.status_code == 422, (url, form, response.status_code)
            assert 'role="alert"' in response.text and message in response.text, (url, form)
    assert await counts() == before
    assert (await client.get("/staff/admin/points/999")).status_code == 404
    assert (await client.get("/staff/admin/points/99999999999")).status_code == 422
    mine = await me.post(f"/staff/admin/accounts/{world['accounts']['coordinator']}/deactivate")
    assert mine.status_code == 422 and "your own login" in mine.text


async def counts() -> list[int]:
    tables = (Point, OpeningHours, OpeningException, StaffMember, StaffPoint, StaffSchedule)
    return [await t.count() for t in (*tables, StaffAbsence, Topic, StaffAccount)]


async def test_coordinators_create_and_deactivate_logins_of_their_region(client, world, clock):
    me = await logged_in(client)
    created = await me.post(
        "/staff/admin/accounts",
        email="Piotr@Example.nl",
        name="Piotr",
        password="a long enough passphrase",
        role="coordinator",
        region=str(world["north"]),
        language="pl",
    )
    assert created.status_code == 303
    piotr = await StaffAccount.select().where(StaffAccount.email == "piotr@example.nl").first()
    assert (piotr["role"], piotr["region"], piotr["language"]) == (
        "coordinator",
        world["north"],
        "pl",
    )

    await login.log_in(POLICY, "consultant@example.nl", PASSWORD, clock.now)
    deactivated = await me.post(
        f"/staff/admin/accounts/{world['accounts']['consultant']}/deactivate"
    )
    assert deactivated.status_code == 303
    consultant = (
        await StaffAccount.select()
        .where(StaffAccount.id == world["accounts"]["consultant"])
        .first()
    )
    assert consultant["active"] is False
    assert await StaffSession.count().where(StaffSession.account == consultant["id"]) == 0
    assert (await log_in(client, "consultant@example.nl")).status_code == 401


async def test_a_login_speaks_a_staff_language_only(client, world):
    """Staff screens are translated into the staff languages only: Lithuanian, a migrant
    language, is not offered and not taken."""
    me = await logged_in(client)
    form = (await client.get("/staff/admin/accounts")).text
    assert 'value="pl"' in form and 'value="lt"' not in form
    refused = await me.post(
        "/staff/admin/accounts",
        email="rasa@example.nl",
        name="Rasa",
        password="a long enough passphrase",
        role="consultant",
        region=str(world["north"]),
        language="lt",
    )
    assert refused.status_code in (400, 422) or 'aria-invalid="true"' in refused.text
    assert await StaffAccount.count().where(StaffAccount.email == "rasa@example.nl") == 0


async def test_agencies_of_the_region(client, world):
    me = await logged_in(client)
    agency = await me.create(
        "/staff/admin/agencies",
        slug="uwv-den-bosch",
        name="UWV 's-Hertogenbosch",
        kind="uwv",
        email="werk@uwv.example",
        region=str(world["north"]),
        active="on",
    )
    changed = await me.post(
        f"/staff/admin/agencies/{agency}",
        slug="uwv-den-bosch",
        name="UWV Den Bosch",
        region=str(world["north"]),
    )
    assert changed.status_code == 303
    saved = await Agency.select().where(Agency.id == agency).first()
    assert (saved["name"], saved["active"], saved["region"]) == (
        "UWV Den Bosch",
        False,
        world["north"],
    )
    listing = await client.get("/staff/admin/agencies")
    assert "UWV Den Bosch" in listing.text and "Gemeente Breda" not in listing.text
