"""A subject access request (issue 7): everything held about one number, for coordinators,
as a page and as JSON, audited under a keyed hash of the number."""

import json

import pytest

from booking.db.tables import AuditEntry
from booking.notify import opt_out
from booking.services import agenda
from booking.services.audit import trail
from booking.services.auth import accounts
from tests.conftest import NOW
from tests.services.test_retention import local
from tests.staff_login import CSRF, PASSWORD, log_in
from tests.web.test_erasure import online
from tests.web.test_invite_pages import NOTE, POLICY, book, handover_world

MARTA = "+48601234567"
OTHER = "+40722000111"
PAGE = "/staff/subject-access/"


@pytest.fixture
async def held(db):
    """Marta's online appointment, a handover with a note, a call-back and a STOP; and
    someone else's appointment that must not show."""
    world = await handover_world()
    await accounts.create_account(
        email="monique@example.nl", name="Monique", password=PASSWORD, role="coordinator",
        region_id=world["region"], language="en",
    )  # fmt: skip
    await accounts.create_account(
        email="joost@example.nl", name="Joost", password=PASSWORD, role="coordinator",
        region_id=world["region"],
    )  # fmt: skip
    mine = await online(world, MARTA, local(2, 10), first_name="Marta")
    handover = await book(world, phone=MARTA, language="pl", interpreter_language=None,
                          interpreter_mode=None)  # fmt: skip
    await agenda.request_callback(world["veghel"], MARTA, "pl", NOW)
    await opt_out.stop(POLICY, MARTA, NOW)
    await online(world, OTHER, local(2, 11), first_name="Ion")
    return {"online": mine.id, "handover": handover}


async def ask(client, phone: str, format: str = "page"):
    form = await client.get(PAGE)
    token = CSRF.search(form.text).group(1)
    return await client.post(PAGE, data={"_csrf_token": token, "phone": phone, "format": format})


async def test_a_coordinator_gets_everything_about_the_number_as_page_and_json(client, held):
    await log_in(client, "monique@example.nl")
    assert 'href="/staff/subject-access/"' in (await client.get("/staff/")).text

    page = await ask(client, "+48 601 234 567")
    assert page.status_code == 200, page.text
    for shown in ("Marta", NOTE, "Point veghel", "Gemeente Gemeente", "2026-12-02T10:00:00+01:00",
                  "answered STOP", "Loket: "):  # fmt: skip
        assert shown in page.text, shown
    assert OTHER not in page.text and "Ion" not in page.text

    download = await ask(client, "0048601234567", format="json")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    found = json.loads(download.text)
    assert found["phone"] == MARTA and found["opted_out"] is True
    assert {c["phone"] for c in found["contacts"]} == {MARTA} and len(found["contacts"]) == 3
    assert "Marta" in {c["first_name"] for c in found["contacts"]}
    by_id = {a["id"]: a for a in found["appointments"]}
    assert set(by_id) == {held["online"], held["handover"]}
    assert by_id[held["online"]] | {"id": 0} == {
        "id": 0, "point": "Point veghel", "topic": "Housing", "language": "pl",
        "channel": "online", "status": "confirmed", "starts_at": "2026-12-02T10:00:00+01:00",
        "ends_at": "2026-12-02T10:30:00+01:00", "booked_at": "2026-12-01T09:00:00+01:00",
    }  # fmt: skip
    assert [h["note"] for h in found["handovers"]] == [NOTE]
    assert [c["status"] for c in found["callbacks"]] == ["open"]
    kinds = {(m["channel"], m["kind"]) for m in found["messages"]}
    assert {("sms", "code"), ("sms", "confirmation"), ("email", "invite")} <= kinds
    assert all(m["body"] for m in found["messages"])

    entries = await AuditEntry.select().where(AuditEntry.action == trail.EXPORTED_SUBJECT_DATA)
    assert [e["subject"] for e in entries] == [trail.subject_key(POLICY, MARTA)] * 2
    assert all("601" not in e["subject"] for e in entries)


async def test_a_bad_number_is_refused_in_the_readers_language(client, held):
    await log_in(client, "joost@example.nl")  # works in Dutch
    refused = await ask(client, "12345")
    assert refused.status_code == 422
    assert "Vul een mobiel nummer in dat sms-berichten kan ontvangen." in refused.text
    assert await AuditEntry.select().where(AuditEntry.action == trail.EXPORTED_SUBJECT_DATA) == []


async def test_consultants_and_strangers_may_not_look_up_a_number(client, held):
    assert (await client.get(PAGE)).status_code in (302, 303)  # to the login page
    await log_in(client, "agnieszka@example.nl")
    assert (await client.get(PAGE)).status_code == 403
    token = CSRF.search((await client.get("/staff/")).text).group(1)
    refused = await client.post(PAGE, data={"_csrf_token": token, "phone": MARTA})
    assert refused.status_code == 403 and "Marta" not in refused.text
    assert "/staff/subject-access/" not in (await client.get("/staff/")).text
