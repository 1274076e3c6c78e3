"""Warm handovers on the staff screens, driven through the pages as a consultant would: from
an appointment to a booked handover, its invitees' answers, moving, cancelling, the outcome."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from booking.db.tables import (
    Agency,
    Allocation,
    Appointment,
    AuditEntry,
    Handover,
    InviteAttendee,
    Message,
    MigrantContact,
)
from booking.domain.policy import Policy
from booking.services.audit import trail
from booking.services.handovers import bookings as handovers
from booking.services.handovers import invite_replies
from booking.services.point_setup import Catalog
from booking.settings import get_settings
from tests import factories
from tests.conftest import NOW
from tests.services.test_handovers import event, invites, reply_token, wanted
from tests.staff_login import PASSWORD, csrf, log_in

#: Tuesday 1 December 2026 18:00 and Thursday 3 December 18:00 in Veghel (UTC+1).
TUE_18 = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
THU_18 = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
START = re.compile(r'name="start" value="([^"]+)"')
NOTE = "Needs a BSN; works nights, so evenings only."


@pytest.fixture
def policy():
    return Policy.from_settings(get_settings())


@pytest.fixture
async def world(db):
    from booking.services.auth import accounts

    north, west = await factories.region("noordoost-brabant"), await factories.region("west")
    veghel = await factories.point(north)
    breda = await factories.point(west, slug="breda")
    topic = await factories.topic("registration", minutes=30)
    other_topic = await factories.topic("housing")
    agency = await factories.agency(north, topics=[topic])
    agnieszka = await factories.staff(
        veghel, ["pl", "nl"], name="Agnieszka", email="agnieszka@bmip.example", region=north
    )
    ion = await factories.staff(
        veghel, ["ro"], "interpreter", name="Ion", modes=["on_site", "phone"],
        email="ion@tolk.example", region=north,
    )  # fmt: skip
    contact = (await MigrantContact.insert(MigrantContact(phone="+40712345678", language="ro")))[0][
        "id"
    ]
    origin = (
        await Appointment.insert(
            Appointment(
                point=veghel, topic=topic, contact=contact, language="ro", channel="online",
                status="confirmed", starts_at=NOW + timedelta(hours=1),
                ends_at=NOW + timedelta(hours=1, minutes=30), created_at=NOW, updated_at=NOW,
            )
        )
    )[0]["id"]  # fmt: skip
    for email, region, staff_id in (
        ("agnieszka@example.nl", north, agnieszka),
        ("mihaela@example.nl", west, None),
    ):
        await accounts.create_account(
            email=email, name=email.split("@")[0].title(), password=PASSWORD, role="consultant",
            region_id=region, staff_id=staff_id, language="en",
        )  # fmt: skip
    return {
        "region": north, "veghel": veghel, "breda": breda, "topic": topic,
        "other_topic": other_topic, "agency": agency, "agnieszka": agnieszka, "ion": ion,
        "origin": origin,
    }  # fmt: skip


def handover_form(world, **changes) -> dict[str, str]:
    form = {
        "appointment": str(world["origin"]),
        "point": str(world["veghel"]),
        "topic": str(world["topic"]),
        "agency": str(world["agency"]),
        "place": "agency",
        "duration": "60",
        "interpreter_language": "ro",
        "interpreter_mode": "on_site",
        "consultant_joins": "on",
        "note": NOTE,
        "from": "2026-12-01",
        "to": "2026-12-07",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


async def post(client, url: str, form: dict[str, str] | None = None):
    token = await csrf(client, "/staff/")
    return await client.post(url, data={"_csrf_token": token, **(form or {})})


async def rows() -> dict[str, int]:
    """What a booking writes; a refused one must leave every count as it was."""
    tables = (Appointment, Handover, Allocation, InviteAttendee, Message, MigrantContact)
    return {t._meta.tablename: await t.count() for t in tables}


async def booked_by_service(world, policy, start=TUE_18, **changes) -> int:
    request = wanted(world, **changes)
    return await handovers.book(Catalog(), policy, request, start, now=NOW)


async def test_a_consultant_books_a_handover_from_an_appointment(client, world):
    await log_in(client, "agnieszka@example.nl")
    page = await client.get(f"/staff/appointments/{world['origin']}")
    assert f'href="/staff/handovers/new?appointment={world["origin"]}"' in page.text

    form_page = await client.get(f"/staff/handovers/new?appointment={world['origin']}")
    assert form_page.status_code == 200
    assert 'name="phone"' not in form_page.text  # phone and language come from the appointment
    assert "shared" in form_page.text or "agreed to share" in form_page.text
    assert f'<option value="{world["topic"]}" selected>' in form_page.text
    assert '<option value="ro" selected>' in form_page.text  # interpreter for the migrant

    found = await post(client, "/staff/handovers/times", handover_form(world))
    assert found.status_code == 200, found.text
    starts = START.findall(found.text)
    # Tuesday and Thursday, 17:00 to 20:00 local every quarter: the agency's hours.
    assert starts[0] == "2026-12-01T17:00:00+01:00" and len(starts) == 2 * 13

    booked = await post(client, "/staff/handovers", handover_form(world, start=starts[4]))
    assert booked.status_code == 303
    appointment_id = int(re.search(r"/staff/handovers/(\d+)\?notice=booked", booked.headers["location"]).group(1))  # fmt: skip

    shown = await client.get(booked.headers["location"])
    assert shown.status_code == 200
    assert "Booked. The invitations are on their way." in shown.text
    for text in ("18:00", "Gemeente Gemeente", "Ion", "Agnieszka", NOTE.replace(";", ";")):
        assert text in shown.text
    invitees = shown.text.split('id="invitees"')[1]
    for address in ("burgerzaken@gemeente.example", "intake@gemeente.example",
                    "ion@tolk.example", "agnieszka@bmip.example"):  # fmt: skip
        assert address in invitees
    assert invitees.count("No answer yet") == 4

    sent = await invites(appointment_id)
    assert len(sent) == 4 and all(len(v) == 1 for v in sent.values())
    assert [r["origin"] for r in await Handover.select(Handover.origin)] == [world["origin"]]

    listed = await client.get("/staff/handovers")
    assert f'href="/staff/handovers/{appointment_id}"' in listed.text
    assert 'role="alert"' not in listed.text
    agenda = await client.get(f"/staff/points/{world['veghel']}/agenda?day=2026-12-01")
    assert f'href="/staff/handovers/{appointment_id}"' in agenda.text
    actions = {r["action"] for r in await AuditEntry.select(AuditEntry.action)}
    assert {trail.BOOKED_HANDOVER, trail.VIEWED_HANDOVERS, trail.VIEWED_APPOINTMENT} <= actions


async def test_a_decline_is_shown_and_moving_then_cancelling_works_from_the_page(
    client, world, policy
):
    appointment_id = await booked_by_service(world, policy, interpreter_id=world["ion"])
    [(_, agency_mail)] = (await invites(appointment_id))["intake@gemeente.example"]
    await invite_replies.answer(policy, reply_token(agency_mail, "decline"), "decline", NOW)
    await log_in(client, "agnieszka@example.nl")

    home = await client.get("/staff/")
    assert "1 handover was declined" in home.text
    listed = await client.get("/staff/handovers")
    alert = listed.text.split('role="alert"')[1].split("</section>")[0]
    assert f'href="/staff/handovers/{appointment_id}"' in alert and "Gemeente" in alert
    page = await client.get(f"/staff/handovers/{appointment_id}")
    assert "declined this time. Please choose another time." in page.text
    assert "Declined" in page.text.split('id="invitees"')[1]

    move = await client.get(f"/staff/handovers/{appointment_id}/move?from=2026-12-03&to=2026-12-03")
    assert move.status_code == 200
    assert "2026-12-03T18:00:00+01:00" in START.findall(move.text)
    moved = await post(
        client, f"/staff/handovers/{appointment_id}/move", {"start": "2026-12-03T18:00:00+01:00"}
    )
    assert (moved.status_code, moved.headers["location"]) == (
        303, f"/staff/handovers/{appointment_id}?notice=moved",
    )  # fmt: skip
    page = await client.get(moved.headers["location"])
    assert "Moved. Everyone invited gets the new time." in page.text
    assert "declined this time" not in page.text
    assert page.text.split('id="invitees"')[1].count("No answer yet") == 4
    assert "1 handover was declined" not in (await client.get("/staff/")).text
    versions = (await invites(appointment_id))["intake@gemeente.example"]
    assert [event(c)["SEQUENCE"] for c, _ in versions] == [0, 1]

    cancelled = await post(client, f"/staff/handovers/{appointment_id}/cancel")
    assert cancelled.headers["location"] == f"/staff/handovers/{appointment_id}?notice=cancelled"
    page = await client.get(cancelled.headers["location"])
    assert "Cancelled" in page.text and "/cancel" not in page.text
    last, _ = (await invites(appointment_id))["intake@gemeente.example"][-1]
    assert str(last["METHOD"]) == "CANCEL"
    assert await Allocation.count().where(Allocation.live == True) == 0
    # A cancelled handover cannot be moved any more: a message, not a 500.
    again = await post(
        client, f"/staff/handovers/{appointment_id}/move", {"start": "2026-12-03T19:00:00+01:00"}
    )
    assert again.status_code == 409 and "can no longer be changed" in again.text


async def test_what_happened_is_recorded_once_the_handover_began(client, world, policy, clock):
    appointment_id = await booked_by_service(world, policy)
    await log_in(client, "agnieszka@example.nl")
    page = await client.get(f"/staff/handovers/{appointment_id}")
    assert "Record what happened" not in page.text

    early = await post(
        client, f"/staff/handovers/{appointment_id}/outcome", {"outcome": "took_place"}
    )
    assert early.status_code == 409
    assert "once the appointment has begun" in early.text
    assert (await Handover.select(Handover.outcome).first())["outcome"] is None

    clock.now = TUE_18 + timedelta(minutes=70)
    await log_in(client, "agnieszka@example.nl")  # the idle session ended meanwhile
    page = await client.get(f"/staff/handovers/{appointment_id}")
    assert "Record what happened" in page.text and "/move" not in page.text
    wrong = await post(client, f"/staff/handovers/{appointment_id}/outcome", {"outcome": "party"})
    assert wrong.status_code == 422 and 'role="alert"' in wrong.text
    done = await post(
        client, f"/staff/handovers/{appointment_id}/outcome", {"outcome": "migrant_absent"}
    )
    assert done.headers["location"] == f"/staff/handovers/{appointment_id}?notice=recorded"
    page = await client.get(done.headers["location"])
    assert "The migrant did not come" in page.text
    row = await Appointment.select(Appointment.status).where(Appointment.id == appointment_id)
    assert row == [{"status": "no_show"}]
    subjects = [r["subject"] for r in await AuditEntry.select().where(
        AuditEntry.action == trail.RECORDED_OUTCOME)]  # fmt: skip
    assert subjects == [f"appointment:{appointment_id}:migrant_absent"]


async def test_another_regions_handover_is_refused(client, world, policy):
    appointment_id = await booked_by_service(world, policy)
    await log_in(client, "mihaela@example.nl")
    assert (await client.get(f"/staff/handovers/{appointment_id}")).status_code == 404
    assert (await client.get(f"/staff/handovers/{appointment_id}/move")).status_code == 404
    for action, form in (("cancel", {}), ("outcome", {"outcome": "took_place"}),
                         ("move", {"start": "2026-12-03T18:00:00+01:00"})):  # fmt: skip
        response = await post(client, f"/staff/handovers/{appointment_id}/{action}", form)
        assert response.status_code == 404, action
    listed = await client.get("/staff/handovers")
    assert f"/staff/handovers/{appointment_id}" not in listed.text
    new = await client.get(f"/staff/handovers/new?appointment={world['origin']}")
    assert new.status_code == 404
    before = await rows()
    taken = await post(client, "/staff/handovers", handover_form(world, start="2026-12-03T18:00:00+01:00"))  # fmt: skip
    assert taken.status_code == 404
    assert await rows() == before
    assert (await Appointment.select(Appointment.status).where(
        Appointment.id == appointment_id))[0]["status"] == "confirmed"  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"agency": ""}, "Please fill in “Partner organisation”."),
        ({"note": "x" * 501}, "can be at most 500 characters long"),
        ({"to": "2026-11-30"}, "“Until” must come after “From”."),
        ({"to": "2027-01-15"}, "Please search at most 31 days at a time."),
        ({"topic": "other"}, "Please choose one of the options for “Topic”."),
        ({"place": "video"}, "At a video handover the interpreter cannot be on site."),
        ({"duration": "61"}, "Please choose one of the options for “Duration”."),
        ({"appointment": None, "phone": "12", "language": "ro"}, "mobile phone number"),
        ({"appointment": None, "phone": "+40712345678", "language": "xx"}, "options for"),
        ({"interpreter_language": "lt"}, "No interpreter works in this language"),
    ],
)
async def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    client, world, changes, message
):
    await log_in(client, "agnieszka@example.nl")
    before = await rows()
    for url, extra in (("/staff/handovers/times", {}),
                       ("/staff/handovers", {"start": "2026-12-01T18:00:00+01:00"})):  # fmt: skip
        response = await post(client, url, handover_form(world, **changes, **extra))
        assert response.status_code == 422, (url, response.status_code)
        assert 'role="alert"' in response.text and message in response.text, url
    assert await rows() == before


async def test_a_video_only_agency_is_refused_at_the_agency_with_a_message(client, world):
    """Issue 13 item 5 on the staff form: the page says why, and books nothing."""
    await Agency.update({Agency.video_only: True}).where(Agency.id == world["agency"])
    await log_in(client, "agnieszka@example.nl")
    before = await rows()
    refused = await post(client, "/staff/handovers/times", handover_form(world))
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert "meets only by video" in refused.text
    assert await rows() == before


async def test_a_topic_the_agency_does_not_handle_and_a_time_not_offered(client, world):
    await log_in(client, "agnieszka@example.nl")
    before = await rows()
    other = await post(client, "/staff/handovers/times", handover_form(world, topic=str(world["other_topic"])))  # fmt: skip
    assert other.status_code == 422 and "does not handle this topic" in other.text
    for start in ("2026-12-01T10:00:00+01:00", "2026-12-01T18:00:00", "tomorrow"):
        refused = await post(client, "/staff/handovers", handover_form(world, start=start))
        assert refused.status_code == 422, start
        assert 'role="alert"' in refused.text
    assert await rows() == before


async def test_a_time_taken_meanwhile_is_a_conflict_with_the_times_still_free(
    client, world, policy
):
    await booked_by_service(world, policy)  # Agnieszka is busy on Tuesday 18:00-19:00
    await log_in(client, "agnieszka@example.nl")
    before = await rows()
    taken = await post(
        client, "/staff/handovers", handover_form(world, start="2026-12-01T18:00:00+01:00")
    )
    assert taken.status_code == 409
    assert "Someone has just booked this time" in taken.text
    offered = START.findall(taken.text)
    assert "2026-12-01T17:00:00+01:00" in offered
    assert "2026-12-01T18:00:00+01:00" not in offered
    assert await rows() == before


async def test_a_coordinator_without_a_consultant_books_one_or_nobody(client, world):
    from booking.services.auth import accounts

    await accounts.create_account(
        email="coordinator@example.nl", name="Monique", password=PASSWORD, role="coordinator",
        region_id=world["region"], language="en",
    )  # fmt: skip
    await log_in(client, "coordinator@example.nl")
    page = await client.get("/staff/handovers/new")
    assert 'name="consultant"' in page.text and "Agnieszka" in page.text
    nobody = await post(client, "/staff/handovers/times", handover_form(world))
    assert nobody.status_code == 422 and "Choose a consultant of this region." in nobody.text
    alone = await post(
        client, "/staff/handovers/times", handover_form(world, consultant_joins=None)
    )
    assert alone.status_code == 200 and START.findall(alone.text)
    chosen = await post(
        client,
        "/staff/handovers",
        handover_form(world, consultant=str(world["agnieszka"]), start="2026-12-01T18:00:00+01:00"),
    )
    assert chosen.status_code == 303
    held = await Allocation.select(Allocation.staff).where(Allocation.role == "consultant")
    assert held == [{"staff": world["agnieszka"]}]


async def test_without_an_appointment_the_migrant_speaks_the_interpreters_language(client, world):
    """Issue 16: the migrant's language defaulted to Dutch; and ten days of times filled one
    page 3,090 px tall, where now each day opens on its own (the first one open)."""
    await log_in(client, "agnieszka@example.nl")
    form_page = await client.get("/staff/handovers/new")
    select = re.search(r'<select id="h-language".*?</select>', form_page.text, re.S).group(0)
    assert re.match(r'<select[^>]*>\s*<option value="">', select) and "selected" not in select
    fresh = handover_form(world, appointment=None, phone="+40712345679", language="")
    found = await post(client, "/staff/handovers/times", fresh)
    assert found.status_code == 200, found.text
    days = re.findall(r'<details class="day"( open)?>', found.text)
    assert len(days) >= 2 and days[0] == " open" and not any(days[1:])
    start = START.search(found.text).group(1)
    booked = await post(client, "/staff/handovers", {**fresh, "start": start})
    assert booked.status_code == 303, booked.text
    languages = await Appointment.select(Appointment.language).where(
        Appointment.channel == Appointment.HANDOVER
    )
    assert languages == [{"language": "ro"}]
