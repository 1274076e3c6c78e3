"""Calendar feeds for agencies and interpreters, and the coordinators' API for them (issue 6)."""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import vobject
from icalendar import Calendar

from booking.db.tables import AuditEntry, CalendarFeed
from booking.db.transactions import engine
from booking.services import changes, feeds
from booking.services.auth import accounts
from booking.services.handovers import bookings as handovers
from booking.services.point_setup import Catalog
from tests import factories
from tests.conftest import NOW, TABLES
from tests.staff_login import PASSWORD, api_token
from tests.web.test_invite_pages import (
    AGENCY_MAIL,
    CONSULTANT_MAIL,
    POLICY,
    THU_18,
    TUE_18,
    book,
    handover_world,
    mails,
)

UID = "handover-{}@127.0.0.1"


async def feed_world() -> tuple[dict[str, int], dict[str, int]]:
    """The handover world, with a coordinator of the north and one of the west, an agency and an interpreter in the
    west, a national agency and an interpreter who works anywhere."""
    world = await handover_world()
    west = await factories.region("west-brabant")
    breda = await factories.point(west, slug="breda")
    found = {
        "west_agency": await factories.agency(west, "breda", emails=["balie@breda.example"]),
        "national": await factories.agency(None, "ind", emails=["ind@ind.example"]),
        "west_interpreter": await factories.staff(
            breda, ["bg"], "interpreter", modes=["phone"], region=west
        ),
        "anywhere": await factories.staff(
            world["veghel"], ["uk"], "interpreter", modes=["video"], region=None
        ),
    }
    for email, role, region in (
        ("monique@example.nl", "coordinator", world["region"]),
        ("wim@example.nl", "coordinator", west),
    ):
        await accounts.create_account(
            email=email, name=email, password=PASSWORD, role=role, region_id=region
        )
    return world, found


def path_of(url: str) -> str:
    return urlsplit(url).path


async def subscribe(client, auth, **body) -> tuple[int, str]:
    response = await client.post("/api/feeds", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()["id"], path_of(response.json()["url"])


def events(data: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


async def test_an_agency_feed_holds_its_own_handovers_and_follows_every_change(client):
    world, _ = await feed_world()
    auth = await api_token(client, "monique@example.nl")
    _, path = await subscribe(client, auth, agency=world["agency"])
    token = path.removeprefix("/feeds/agency/").removesuffix(".ics")
    assert len(token) >= 43

    moved = await book(world)
    cancelled = await book(world, TUE_18 + timedelta(hours=1))
    other = await factories.agency(world["region"], "ggd", emails=["ggd@ggd.example"],
                                   topics=[world["topic"]])  # fmt: skip
    elsewhere = await book(world, THU_18 + timedelta(hours=2), agency_id=other)

    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private, max-age=300"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    found = events(response.content)
    assert set(found) == {UID.format(moved), UID.format(cancelled)}
    assert UID.format(elsewhere) not in response.text
    assert found[UID.format(moved)]["SEQUENCE"] == 0
    assert found[UID.format(moved)].decoded("DTSTART") == TUE_18
    assert "ATTENDEE" not in found[UID.format(moved)]
    # An independent parser reads the same: the VTIMEZONE resolves, the refresh is there.
    parsed = vobject.readOne(response.text)
    assert {e.uid.value: e.dtstart.value for e in parsed.vevent_list} == {
        UID.format(moved): TUE_18,
        UID.format(cancelled): TUE_18 + timedelta(hours=1),
    }
    assert parsed.contents["refresh-interval"][0].value == "PT1H"

    # Nothing changed: a poll with the ETag gets a 304 and no calendar.
    etag = response.headers["etag"]
    same = await client.get(path, headers={"if-none-match": etag})
    assert (same.status_code, same.content) == (304, b"")

    await handovers.reschedule(Catalog(), POLICY, moved, THU_18, now=NOW)
    await changes.cancel(Catalog(), POLICY, cancelled, now=NOW)

    after = await client.get(path, headers={"if-none-match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    found = events(after.content)
    assert set(found) == {UID.format(moved)}
    assert (found[UID.format(moved)]["SEQUENCE"], found[UID.format(moved)].decoded("DTSTART")) == (
        1, THU_18,
    )  # fmt: skip
    assert [e.dtstart.value for e in vobject.readOne(after.text).vevent_list] == [THU_18]


async def test_an_interpreter_feed_holds_the_handovers_they_interpret(client):
    world = await handover_world()
    maria = await factories.staff(
        world["veghel"], ["ro"], "interpreter", name="Maria", modes=["on_site"],
        email="maria@tolk.example", region=world["region"],
    )  # fmt: skip
    feed_id, token = await feeds.create(staff_id=world["ion"], now=NOW)
    url = feeds.feed_url(POLICY, "interpreter", token)
    assert url == f"{POLICY.public_base_url}/feeds/interpreter/{token}.ics"
    with_ion = await book(world, interpreter_id=world["ion"])
    with_maria = await book(world, TUE_18 + timedelta(hours=1), interpreter_id=maria)
    without = await book(world, THU_18, interpreter_language=None, interpreter_mode=None)

    found = events((await client.get(path_of(url))).content)
    assert set(found) == {UID.format(with_ion)}
    assert {UID.format(with_maria), UID.format(without)}.isdisjoint(found)
    assert "Ion" in str(found[UID.format(with_ion)]["DESCRIPTION"])
    assert feeds.feed_url(POLICY, "agency", token).endswith(f"/feeds/agency/{token}.ics")
    with pytest.raises(ValueError):
        feeds.feed_url(POLICY, "consultant", token)
    [row] = await feeds.listed(staff_id=world["ion"])
    assert (row.id, row.revoked_at) == (feed_id, None)


async def test_feeds_and_invites_name_one_organizer_for_a_uid(client):
    """Issue 13: a calendar app that has the invite and subscribes to the feed sees one
    ORGANIZER (name and address) for the entry, whether the agency's or the interpreter's."""
    world = await handover_world()
    appointment_id = await book(world, interpreter_id=world["ion"])
    uid = UID.format(appointment_id)
    sent = [(to, Calendar.from_ical(calendar)) for to, _, calendar in await mails(appointment_id)]
    organizers = {
        (str(e["ORGANIZER"]), str(e["ORGANIZER"].params["CN"]))
        for _, calendar in sent
        for e in calendar.walk("VEVENT")
        if str(e["UID"]) == uid
    }
    assert {to for to, _ in sent} >= {AGENCY_MAIL, CONSULTANT_MAIL, "ion@tolk.example"}
    assert len(organizers) == 1
    for subscriber in ({"agency_id": world["agency"]}, {"staff_id": world["ion"]}):
        _, token = await feeds.create(**subscriber, now=NOW)
        kind = "agency" if "agency_id" in subscriber else "interpreter"
        response = await client.get(path_of(feeds.feed_url(POLICY, kind, token)))
        entry = events(response.content)[uid]
        assert {(str(entry["ORGANIZER"]), str(entry["ORGANIZER"].params["CN"]))} == organizers


async def test_the_token_is_stored_only_hashed_and_bad_links_are_all_the_same_404(client):
    world, _ = await feed_world()
    auth = await api_token(client, "monique@example.nl")
    feed_id, path = await subscribe(client, auth, agency=world["agency"])
    token = path.removeprefix("/feeds/agency/").removesuffix(".ics")
    _, interpreter_path = await subscribe(client, auth, interpreter=world["ion"])

    [row] = await CalendarFeed.select().where(CalendarFeed.id == feed_id)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    for table in TABLES:
        rows = await engine().run_ddl(f"SELECT * FROM {table}")  # noqa: S608
        assert token not in repr(rows), table

    wrong_kind = f"/feeds/interpreter/{token}.ics"
    unknown = f"/feeds/agency/{'A' * 43}.ics"
    for bad in (
        wrong_kind,
        unknown,
        path.removesuffix(".ics"),
        "/feeds/agency/x.ics",
        f"/feeds/calendar/{token}.ics",
        interpreter_path.replace("interpreter", "agency"),
    ):
        response = await client.get(bad)
        assert response.status_code == 404, bad
    assert (await client.get(path)).status_code == 200

    revoked = await client.post(f"/api/feeds/{feed_id}/revoke", headers=auth)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    assert (await client.get(path)).status_code == 404
    again = await client.post(f"/api/feeds/{feed_id}/revoke", headers=auth)
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]
    listed = await client.get("/api/feeds", params={"agency": world["agency"]}, headers=auth)
    assert listed.status_code == 200
    assert [set(f) for f in listed.json()] == [{"id", "created_at", "revoked_at"}]
    actions = await AuditEntry.select(AuditEntry.action, AuditEntry.subject).order_by(AuditEntry.id)
    assert [a["action"] for a in actions if "feed" in a["action"]] == [
        "created_feed", "created_feed", "revoked_feed", "revoked_feed",
    ]  # fmt: skip
    assert f"feed:{feed_id}:agency:{world['agency']}" in [a["subject"] for a in actions]


async def test_coordinators_manage_feeds_of_their_region_and_national_ones_only(client):
    world, people = await feed_world()
    north = await api_token(client, "monique@example.nl")
    west = await api_token(client, "wim@example.nl")
    consultant = await api_token(client, "agnieszka@example.nl")

    assert (await client.post("/api/feeds", json={"agency": world["agency"]},
                              headers=consultant)).status_code == 403  # fmt: skip
    for body in ({"agency": people["west_agency"]}, {"interpreter": people["west_interpreter"]}):
        response = await client.post("/api/feeds", json=body, headers=north)
        assert response.status_code == 422, body  # as an unknown agency or interpreter
    for body in ({"agency": people["national"]}, {"interpreter": people["anywhere"]}):
        await subscribe(client, north, **body)
        await subscribe(client, west, **body)
    west_feed, _ = await subscribe(client, west, agency=people["west_agency"])

    assert (await client.post(f"/api/feeds/{west_feed}/revoke", headers=north)).status_code == 404
    listed = await client.get("/api/feeds", params={"agency": people["west_agency"]}, headers=north)
    assert listed.status_code == 422
    assert (await client.post("/api/feeds/999999/revoke", headers=north)).status_code == 404
    assert await CalendarFeed.count() == 5


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"agency": 999_999}, 422, "unknown_agency"),
        ({"interpreter": 999_999}, 422, "unknown_interpreter"),
        ({"interpreter": "consultant"}, 422, "unknown_interpreter"),
        ({}, 422, "agency_or_interpreter"),
        ({"agency": "mine", "interpreter": "ion"}, 422, "agency_or_interpreter"),
        ({"agency": 0}, 422, "invalid_input"),
        ({"agency": "twelve"}, 422, "invalid_input"),
        ({"agency": 1, "token": "mine"}, 422, "invalid_input"),
    ],
)
async def test_bad_input_is_a_clear_4xx_and_writes_nothing(client, body, status, code):
    world, _ = await feed_world()
    names = {"mine": world["agency"], "ion": world["ion"], "consultant": world["agnieszka"]}
    body = {k: names.get(v, v) for k, v in body.items()}
    auth = await api_token(client, "monique@example.nl")
    response = await client.post("/api/feeds", json=body, headers=auth)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code and response.json()["message"]
    assert await CalendarFeed.count() == 0
    listed = await client.get("/api/feeds", headers=auth)
    assert listed.status_code == 422 and listed.json()["code"] == "agency_or_interpreter"
