"""Agencies' handover master data on the coordinators' screens: addresses, topics, handover
hours with a capacity per slot, calendar-feed links; and what the handover search makes of it."""

import re
from urllib.parse import urlsplit

import pytest

from booking.db.tables import (
    Agency,
    AgencyHours,
    AgencyTopic,
    AuditEntry,
    CalendarFeed,
    StaffMember,
)
from booking.services.audit import trail
from booking.services.auth import accounts
from tests import factories
from tests.staff_login import PASSWORD, api_token, csrf, log_in
from tests.web.test_admin import Coordinator

TUESDAY = "1"
SECRET_LINK = re.compile(r'id="secret-link" readonly value="([^"]+)"')


@pytest.fixture
async def world(db):
    north, west = await factories.region("noordoost-brabant"), await factories.region("west")
    veghel = await factories.point(north)
    registration = await factories.topic("registration", minutes=30)
    housing = await factories.topic("housing")
    consultant = await factories.staff(veghel, ["ro", "nl"], name="Ioana", email="ioana@bmip.example",
                                       region=north)  # fmt: skip
    interpreter = await factories.staff(
        veghel, ["bg"], "interpreter", name="Dimitar", modes=["phone"], region=None
    )
    agency = await factories.agency(north, emails=["burgerzaken@gemeente.example"], hours=())
    west_agency = await factories.agency(west, slug="breda", hours=())
    for email, role, staff_id in (("coordinator@example.nl", "coordinator", None),
                                  ("ioana@example.nl", "consultant", consultant)):  # fmt: skip
        await accounts.create_account(
            email=email, name=role.title(), password=PASSWORD, role=role, region_id=north,
            staff_id=staff_id, language="en",
        )  # fmt: skip
    return {
        "north": north, "veghel": veghel, "registration": registration, "housing": housing,
        "consultant": consultant, "interpreter": interpreter, "agency": agency,
        "west_agency": west_agency,
    }  # fmt: skip


async def coordinator(client) -> Coordinator:
    await log_in(client, "coordinator@example.nl")
    return Coordinator(client, await csrf(client, "/staff/admin/agencies"))


def agency_form(world, **changes) -> dict:
    form = {
        "slug": "gemeente", "name": "Gemeente Meierijstad", "email": "burgerzaken@gemeente.example",
        "other_emails": "intake@gemeente.example, balie@gemeente.example", "address": "Markt 1",
        "region": str(world["north"]), "active": "on", "topics": str(world["registration"]),
    }  # fmt: skip
    form.update(changes)
    return form


async def slots(client, world, headers, **params) -> list[str]:
    query = {
        "point": world["veghel"], "agency": world["agency"], "topic": world["registration"],
        "from": "2026-12-01", "to": "2026-12-07", "duration_minutes": 60,
        "consultant": world["consultant"], **params,
    }  # fmt: skip
    response = await client.get("/api/handovers/slots", params=query, headers=headers)
    assert response.status_code == 200, response.text
    return [t["start"] for t in response.json()["times"]]


async def test_hours_with_capacity_and_topics_are_what_the_handover_search_uses(client, world):
    me = await coordinator(client)
    saved = await me.post(f"/staff/admin/agencies/{world['agency']}", **agency_form(world))
    assert saved.status_code == 303
    added = await me.post(
        f"/staff/admin/agencies/{world['agency']}/hours",
        weekday=TUESDAY, opens="17:00", closes="19:00", capacity="1",
    )  # fmt: skip
    assert added.status_code == 303
    row = await Agency.select().where(Agency.id == world["agency"]).first()
    assert row["other_emails"] == ["intake@gemeente.example", "balie@gemeente.example"]
    assert row["by_arrangement"] is False
    topics = await AgencyTopic.select(AgencyTopic.topic).where(
        AgencyTopic.agency == world["agency"]
    )
    assert topics == [{"topic": world["registration"]}]
    page = await client.get(f"/staff/admin/agencies/{world['agency']}")
    assert "intake@gemeente.example, balie@gemeente.example" in page.text
    assert "17:00–19:00" in page.text

    headers = await api_token(client, "ioana@example.nl")
    # Tuesday 17:00-19:00 takes one handover: a 60-minute one starts 17:00 to 18:00.
    assert await slots(client, world, headers) == [
        "2026-12-01T17:00:00+01:00", "2026-12-01T17:15:00+01:00",
        "2026-12-01T17:30:00+01:00", "2026-12-01T17:45:00+01:00", "2026-12-01T18:00:00+01:00",
    ]  # fmt: skip
    booked = await client.post(
        "/api/handovers",
        json={"point": world["veghel"], "agency": world["agency"], "topic": world["registration"],
              "start": "2026-12-01T17:00:00+01:00", "phone": "+40712345678", "language": "ro",
              "consultant": world["consultant"]},
        headers=headers,
    )  # fmt: skip
    assert booked.status_code == 201, booked.text
    invited = {i["email"] for i in booked.json()["invitees"]}
    assert invited == {"burgerzaken@gemeente.example", "intake@gemeente.example",
                       "balie@gemeente.example", "ioana@bmip.example"}  # fmt: skip
    # The one place is taken until 18:00; another consultant still finds 18:00 only.
    other = await factories.staff(world["veghel"], ["nl"], name="Sanne", region=world["north"])
    assert await slots(client, world, headers, consultant=other) == ["2026-12-01T18:00:00+01:00"]
    unhandled = await client.get(
        "/api/handovers/slots",
        params={"point": world["veghel"], "agency": world["agency"], "topic": world["housing"],
                "from": "2026-12-01", "to": "2026-12-07"},
        headers=headers,
    )  # fmt: skip
    assert unhandled.status_code == 422

    # Capacity 2 in the same hours: the second place is free at 17:00 again.
    [hours] = await AgencyHours.select(AgencyHours.id)
    removed = await me.post(f"/staff/admin/agencies/{world['agency']}/hours/{hours['id']}/delete")
    assert removed.status_code == 303 and await AgencyHours.count() == 0
    await me.post(
        f"/staff/admin/agencies/{world['agency']}/hours",
        weekday=TUESDAY, opens="17:00", closes="19:00", capacity="2",
    )  # fmt: skip
    assert "2026-12-01T17:00:00+01:00" in await slots(client, world, headers, consultant=other)


async def test_an_agency_by_arrangement_is_searched_by_the_people_only(client, world):
    me = await coordinator(client)
    saved = await me.post(
        f"/staff/admin/agencies/{world['agency']}", **agency_form(world, by_arrangement="on")
    )
    assert saved.status_code == 303
    row = await Agency.select(Agency.by_arrangement).where(Agency.id == world["agency"]).first()
    assert row["by_arrangement"] is True
    headers = await api_token(client, "ioana@example.nl")
    times = await slots(client, world, headers, **{"from": "2026-12-02", "to": "2026-12-02"})
    assert times[0] == "2026-12-02T09:00:00+01:00"  # the consultant's day, no agency hours


@pytest.mark.parametrize(
    ("path", "form", "message"),
    [
        ("hours", {"weekday": TUESDAY, "opens": "17:00", "closes": "19:00", "capacity": "0"},
         "must be a whole number from 1 to 20"),
        ("hours", {"weekday": TUESDAY, "opens": "17:00", "closes": "19:00", "capacity": "21"},
         "must be a whole number from 1 to 20"),
        ("hours", {"weekday": TUESDAY, "opens": "19:00", "closes": "17:00", "capacity": "1"},
         "must come after"),
        ("hours", {"weekday": "9", "opens": "17:00", "closes": "19:00", "capacity": "1"},
         "Please choose one of the options"),
        ("", {"other_emails": "intake@gemeente.example, not-an-address"}, "is not in the right form"),
        ("", {"topics": "999999"}, "Please choose one of the options"),
        ("", {"other_emails": "a@b.nl " * 200}, "at most 1000 characters"),
    ],
)  # fmt: skip
async def test_bad_agency_input_is_refused_with_a_message(client, world, path, form, message):
    me = await coordinator(client)
    url = f"/staff/admin/agencies/{world['agency']}" + (f"/{path}" if path else "")
    before = await Agency.select().where(Agency.id == world["agency"]).first()
    data = form if path else agency_form(world, **form)
    response = await me.post(url, **data)
    assert response.status_code == 422
    assert 'role="alert"' in response.text and message in response.text
    assert await AgencyHours.count() == 0 and await AgencyTopic.count() == 0
    assert await Agency.select().where(Agency.id == world["agency"]).first() == before


async def test_another_regions_agency_is_refused(client, world):
    me = await coordinator(client)
    url = f"/staff/admin/agencies/{world['west_agency']}"
    for response in (
        await me.post(f"{url}/hours", weekday=TUESDAY, opens="17:00", closes="19:00", capacity="1"),
        await me.post(f"{url}/feeds"),
        await me.post(url, **agency_form(world, slug="breda")),
    ):
        assert response.status_code == 404  # as if it did not exist
    assert await AgencyHours.count() == 0 and await CalendarFeed.count() == 0


async def test_feed_links_are_shown_once_listed_and_revoked(client, world):
    me = await coordinator(client)
    base = f"/staff/admin/agencies/{world['agency']}"
    created = await me.post(f"{base}/feeds")
    assert created.status_code == 200
    url = SECRET_LINK.search(created.text).group(1)
    assert "/feeds/agency/" in url
    assert (await client.get(urlsplit(url).path)).status_code == 200
    page = await client.get(base)
    assert url not in page.text and "active" in page.text  # listed, without the secret

    [feed] = await CalendarFeed.select(CalendarFeed.id)
    other = await me.post(f"/staff/admin/agencies/{world['west_agency']}/feeds/{feed['id']}/revoke")
    assert other.status_code == 404
    revoked = await me.post(f"{base}/feeds/{feed['id']}/revoke")
    assert revoked.status_code == 303
    assert (await client.get(urlsplit(url).path)).status_code in (404, 410)
    assert "revoked on" in (await client.get(base)).text

    person = f"/staff/admin/staff/{world['interpreter']}"
    interpreter = await me.post(f"{person}/feeds")
    assert "/feeds/interpreter/" in SECRET_LINK.search(interpreter.text).group(1)
    wrong = await me.post(f"{person}/feeds/{feed['id']}/revoke")
    assert wrong.status_code == 404  # the agency's link is not the interpreter's
    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action)]
    assert actions.count(trail.CREATED_FEED) == 2 and actions.count(trail.REVOKED_FEED) == 1


async def test_a_staff_members_invitation_address_is_kept(client, world):
    me = await coordinator(client)
    form = {"name": "Dimitar", "kind": "interpreter", "languages": "bg", "interpreter_modes": "phone",
            "points": str(world["veghel"]), "active": "on"}  # fmt: skip
    saved = await me.post(
        f"/staff/admin/staff/{world['interpreter']}", email="dimitar@tolk.example", **form
    )
    assert saved.status_code == 303
    row = await StaffMember.select(StaffMember.email).where(StaffMember.id == world["interpreter"])
    assert row == [{"email": "dimitar@tolk.example"}]
    assert "dimitar@tolk.example" in (await client.get(f"/staff/admin/staff/{world['interpreter']}")).text  # fmt: skip
    bad = await me.post(f"/staff/admin/staff/{world['interpreter']}", email="dimitar@", **form)
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    row = await StaffMember.select(StaffMember.email).where(StaffMember.id == world["interpreter"])
    assert row == [{"email": "dimitar@tolk.example"}]
