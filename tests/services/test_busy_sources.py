"""Interpreters' and agency places' own busy times, read from a real CalDAV server (Radicale
on loopback) and from a published ICS address, and left out of every search (issue 13)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from booking.db.tables import Allocation, BusySource, ExternalBusy
from booking.domain.errors import InvalidCalendarUrl, SlotTaken, UnknownPlace
from booking.services.auth import accounts
from booking.services.calendars import polling, sources
from booking.services.handovers import bookings as handovers
from booking.services.handovers.plans import HandoverRequest, find_times
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from migrations import booking_2026_12_31t03_30_00_000000 as sealed_passwords
from tests import factories
from tests.conftest import NOW
from tests.local_radicale import PASSWORD, USERNAME, radicale
from tests.staff_login import PASSWORD as STAFF_PASSWORD
from tests.staff_login import api_token, log_in
from tests.web.test_invite_pages import POLICY, handover_world

#: Wednesday 2 December 2026, 10:00 and 11:00 in Veghel.
WED_10 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
WED_11 = WED_10 + timedelta(hours=1)
WEDNESDAY = date(2026, 12, 2)


def event(uid: str, start: str, end: str, *extra: str) -> str:
    """One object of the interpreter's calendar, as their calendar app stores it."""
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Own calendar//EN",
        "BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261120T120000Z",
        f"DTSTART;TZID=Europe/Amsterdam:{start}", f"DTEND;TZID=Europe/Amsterdam:{end}",
        *extra, "END:VEVENT", "END:VCALENDAR",
    ]  # fmt: skip
    return "\r\n".join(lines) + "\r\n"


COURT = event(
    "court-hearing-1", "20261202T100000", "20261202T104500",
    "SUMMARY:Rechtbank 's-Hertogenbosch, zaak 12/345", "LOCATION:Leeghwaterlaan 8",
)  # fmt: skip
LUNCH = event("lunch", "20261202T120000", "20261202T130000", "SUMMARY:Free", "TRANSP:TRANSPARENT")


@pytest.fixture
def server(tmp_path):
    with radicale(tmp_path) as running:
        running.make_calendar()
        yield running


async def world_at_ten() -> dict:
    """The handover world with an agency open on Wednesday mornings."""
    world = await handover_world()
    world["agency"] = await factories.agency(
        world["region"], "uwv", emails=["intake@uwv.example"],
        hours=(((2,), "09:00", "17:00", 1),), topics=[world["topic"]],
    )  # fmt: skip
    return world


def request_for(world) -> HandoverRequest:
    return HandoverRequest(
        point_id=world["veghel"], agency_id=world["agency"], topic_id=world["topic"],
        place="agency", duration=timedelta(minutes=30), consultant_id=world["agnieszka"],
        interpreter_language="ro", interpreter_mode="on_site", interpreter_id=world["ion"],
        phone="+40712345678", language="ro",
    )  # fmt: skip


async def handover_times(world) -> list[datetime]:
    return await find_times(
        Catalog(), POLICY, request_for(world), first=WEDNESDAY, last=WEDNESDAY, now=NOW
    )


async def slot_times(world) -> list[datetime]:
    """Romanian at the point: the Polish-speaking consultant with Ion interpreting."""
    _, slots = await search_slots(
        Catalog(), POLICY, point_id=world["veghel"], topic_id=world["topic"], language="ro",
        first=WEDNESDAY, last=WEDNESDAY, now=NOW,
    )  # fmt: skip
    return [s.start for s in slots]


async def poll(now=NOW) -> tuple[int, int]:
    return await polling.poll_due(
        now,
        every=timedelta(minutes=10),
        horizon=POLICY.rules.horizon,
        seconds=10,
        secret=POLICY.secret,
    )


async def test_an_interpreter_busy_in_caldav_is_not_offered_until_the_event_is_deleted(db, server):
    world = await world_at_ten()
    assert WED_10 in await handover_times(world) and WED_10 in await slot_times(world)
    server.put_event("court-hearing-1", COURT)
    server.put_event("lunch", LUNCH)
    await sources.add(
        secret=POLICY.secret,
        kind=BusySource.CALDAV, url=server.calendar_url, username=USERNAME, password=PASSWORD,
        staff_id=world["ion"], now=NOW,
    )  # fmt: skip
    assert await poll() == (1, 0)

    # Only the times are kept: not the title, place or UID of the court hearing.
    stored = await ExternalBusy.select(ExternalBusy.resource, ExternalBusy.starts_at,
                                      ExternalBusy.ends_at)  # fmt: skip
    assert [(r["resource"], r["starts_at"], r["ends_at"]) for r in stored] == [
        (f"staff:{world['ion']}", WED_10, WED_10 + timedelta(minutes=45))
    ]
    for times in (await handover_times(world), await slot_times(world)):
        assert WED_10 not in times and WED_10 + timedelta(minutes=30) not in times
        assert WED_11 in times
        assert WED_10 + timedelta(hours=3) in times  # the free-time lunch does not count
    with pytest.raises(SlotTaken):
        await handovers.book(Catalog(), POLICY, request_for(world), WED_10, now=NOW)

    # Not due again yet; then due, but unchanged: one request, nothing rewritten.
    assert await poll(NOW + timedelta(minutes=5)) == (0, 0)
    [before] = await BusySource.select(BusySource.etag, BusySource.ok_at)
    assert before["etag"]
    assert await poll(NOW + timedelta(minutes=11)) == (1, 0)

    server.delete_event("court-hearing-1")
    assert await poll(NOW + timedelta(minutes=22)) == (1, 0)
    assert await ExternalBusy.count() == 0
    assert WED_10 in await handover_times(world) and WED_10 in await slot_times(world)
    await handovers.book(Catalog(), POLICY, request_for(world), WED_10, now=NOW)
    # The interpreter whose hearing went is the one now held at ten.
    held = await Allocation.select(Allocation.appointment.starts_at).where(
        (Allocation.resource == f"staff:{world['ion']}") & (Allocation.live.eq(True))
    )
    assert [row["appointment.starts_at"] for row in held] == [WED_10]


async def test_a_published_ics_address_counts_too(db, server):
    world = await world_at_ten()
    server.put_event("court-hearing-1", COURT)
    # Radicale serves the whole calendar as one file at its address: a published calendar.
    source_id = await sources.add(
        secret=POLICY.secret,
        kind=BusySource.ICS, url=server.calendar_url, username=USERNAME, password=PASSWORD,
        staff_id=world["ion"], now=NOW,
    )  # fmt: skip
    assert await poll() == (1, 0)
    assert WED_10 not in await handover_times(world)
    view = await sources.one(source_id)
    assert (view.intervals, view.error, view.ok_at) == (1, "", NOW)

    # Unchanged: read again (a 304 to If-None-Match when the server gives an ETag), kept.
    later = NOW + timedelta(minutes=11)
    assert await poll(later) == (1, 0)
    assert (await sources.one(source_id)).ok_at == later
    assert WED_10 not in await handover_times(world)
    # Changed there: the new calendar replaces the old busy times.
    server.delete_event("court-hearing-1")
    assert await poll(later + timedelta(minutes=11)) == (1, 0)
    assert WED_10 in await handover_times(world) and await ExternalBusy.count() == 0


async def test_an_agency_place_busy_in_its_calendar_is_not_offered(db, server):
    world = await world_at_ten()
    server.put_event(
        "intake-meeting", event("intake-meeting", "20261202T100000", "20261202T110000")
    )
    await sources.add(
        secret=POLICY.secret,
        kind=BusySource.CALDAV, url=server.calendar_url, username=USERNAME, password=PASSWORD,
        agency_id=world["agency"], place=1, now=NOW,
    )  # fmt: skip
    assert await poll() == (1, 0)
    times = await handover_times(world)
    assert WED_10 not in times and WED_10 + timedelta(minutes=30) not in times
    assert WED_11 in times
    with pytest.raises(SlotTaken):
        await handovers.book(Catalog(), POLICY, request_for(world), WED_10, now=NOW)
    assert await handovers.book(Catalog(), POLICY, request_for(world), WED_11, now=NOW)


async def test_a_calendar_password_is_sealed_for_its_calendar(db, server):
    """A copy of the database does not log in to anyone's calendar: the password is sealed
    under the secret key, for this person's calendar only."""
    world = await world_at_ten()
    server.put_event("court-hearing-1", COURT)
    mine = await sources.add(
        secret=POLICY.secret,
        kind=BusySource.CALDAV, url=server.calendar_url, username=USERNAME, password=PASSWORD,
        staff_id=world["ion"], now=NOW,
    )  # fmt: skip
    [stored] = await BusySource.raw("SELECT * FROM busy_source")
    assert not any(PASSWORD in str(value) for value in stored.values())
    assert stored["password"].startswith("s1.")
    assert await poll() == (1, 0)

    # Moved to another calendar's row, or opened with another key, it reads as nothing.
    copied = await sources.add(
        secret=POLICY.secret,
        kind=BusySource.CALDAV, url=server.calendar_url, username=USERNAME, password="x",
        agency_id=world["agency"], now=NOW,
    )  # fmt: skip
    await BusySource.update({BusySource.password: stored["password"]}).where(
        BusySource.id == copied
    )
    assert await poll(NOW + timedelta(minutes=11)) == (1, 1)
    assert (await sources.one(copied)).error == "password unreadable: connect it again"
    other_key = await polling.poll_due(
        NOW + timedelta(minutes=22), every=timedelta(minutes=10),
        horizon=POLICY.rules.horizon, seconds=10, secret=b"another key",
    )  # fmt: skip
    assert other_key == (0, 2)
    assert (await sources.one(mine)).error == "password unreadable: connect it again"
    assert WED_10 not in await handover_times(world)  # its last busy times stay


async def test_the_migration_empties_passwords_stored_plain_and_makes_room_for_sealed(db):
    world = await world_at_ten()
    long = await sources.add(
        secret=POLICY.secret, kind=BusySource.CALDAV, url="https://dav.example/ion/",
        username="ion", password="p" * 200, staff_id=world["ion"], now=NOW,
    )  # fmt: skip
    plain = await sources.add(
        secret=POLICY.secret, kind=BusySource.CALDAV, url="https://dav.example/ion2/",
        username="ion", staff_id=world["ion"], now=NOW,
    )  # fmt: skip
    await BusySource.update({BusySource.password: "plain-from-before"}).where(
        BusySource.id == plain
    )
    await (await sealed_passwords.forwards()).run()
    stored = {r["id"]: r["password"] for r in await BusySource.raw("SELECT * FROM busy_source")}
    assert stored[plain] == ""
    assert len(stored[long]) > 200
    row = (await BusySource.raw("SELECT * FROM busy_source WHERE id = {}", long))[0]
    assert sources.password_of(row, POLICY.secret) == "p" * 200


async def test_a_failing_source_is_shown_and_never_blocks_booking(db, server):
    world = await world_at_ten()
    source_id = await sources.add(
        secret=POLICY.secret,
        kind=BusySource.CALDAV, url=server.calendar_url, username=USERNAME,
        password="wrong", staff_id=world["ion"], now=NOW,
    )  # fmt: skip
    unreachable = await sources.add(
        secret=POLICY.secret,
        kind=BusySource.ICS, url="http://127.0.0.1:9/calendar.ics", staff_id=world["ion"],
        now=NOW,
    )  # fmt: skip
    assert await poll() == (0, 2)
    failing = {view.id: (view.error, name) for view, name in await sources.failing(None)}
    assert failing[source_id] == ("login refused", "Ion")
    assert failing[unreachable][0].startswith("unreachable")
    assert [v.id for v, _ in await sources.failing(world["region"] + 1)] == []
    assert WED_10 in await handover_times(world)
    assert await handovers.book(Catalog(), POLICY, request_for(world), WED_10, now=NOW)


async def test_an_agency_place_can_have_a_source_and_addresses_are_checked(db):
    world = await world_at_ten()
    with pytest.raises(UnknownPlace):
        await sources.add(secret=POLICY.secret, kind="ics", url="https://a.example/x.ics",
                          agency_id=world["agency"], place=2, now=NOW)  # fmt: skip
    for bad in ("ftp://a.example/x.ics", "https://", "javascript:alert(1)", "x" * 600):
        with pytest.raises(InvalidCalendarUrl):
            await sources.add(
                secret=POLICY.secret, kind="ics", url=bad, staff_id=world["ion"], now=NOW
            )
    source_id = await sources.add(
        secret=POLICY.secret,
        kind="ics",
        url="webcal://agenda.example/uwv.ics",
        agency_id=world["agency"],
        now=NOW,
    )
    view = await sources.one(source_id)
    assert (view.resource, view.url) == (
        f"agency:{world['agency']}:1", "https://agenda.example/uwv.ics",
    )  # fmt: skip


async def test_coordinators_connect_calendars_and_see_the_failing_ones(client, server):
    world = await world_at_ten()
    await accounts.create_account(
        email="monique@example.nl", name="Monique", password=STAFF_PASSWORD,
        role="coordinator", region_id=world["region"],
    )  # fmt: skip
    auth = await api_token(client, "monique@example.nl")
    body = {"kind": "caldav", "url": server.calendar_url, "interpreter": world["ion"],
            "username": USERNAME, "password": "not-the-password"}  # fmt: skip
    consultant = await api_token(client, "agnieszka@example.nl")
    assert (
        await client.post("/api/busy-sources", json=body, headers=consultant)
    ).status_code == 403
    made = await client.post("/api/busy-sources", json=body, headers=auth)
    assert made.status_code == 201, made.text
    assert "not-the-password" not in made.text and made.json()["error"] == ""
    bad = await client.post("/api/busy-sources", json={**body, "url": "ftp://x.example/a"},
                            headers=auth)  # fmt: skip
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_calendar_url")

    assert await poll() == (0, 1)
    [listed] = (await client.get(f"/api/busy-sources?interpreter={world['ion']}",
                                 headers=auth)).json()  # fmt: skip
    assert (listed["error"], listed["intervals"]) == ("login refused", 0)
    await log_in(client, "monique@example.nl")
    home = await client.get("/staff/")
    assert 'id="unread-calendars"' in home.text and "Ion: login refused" in home.text

    gone = await client.post(f"/api/busy-sources/{listed['id']}/remove", headers=auth)
    assert gone.status_code == 200
    assert await BusySource.count() == 0
    assert 'id="unread-calendars"' not in (await client.get("/staff/")).text
