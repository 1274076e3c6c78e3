"""The audit log viewer over HTTP (issue 10 item 7): the page at /staff/audit and the JSON
route /api/staff/audit, for admins and coordinators (their region), filters, older pages,
the CSV download, each look audited without the number, and every bad filter a 4xx in the
reader's language."""

import csv
import io

import pytest

from booking.db.tables import AuditEntry, StaffAccount
from booking.services.audit import trail
from tests.conftest import NOW
from tests.services.test_audit_log import MARTA, POLICY, about, audit_world
from tests.staff_login import CSRF, api_token, log_in

PAGE = "/staff/audit"


async def show(client, **fields):
    token = CSRF.search((await client.get("/staff/")).text).group(1)
    return await client.post(PAGE, data={"_csrf_token": token, **fields})


async def download(client, **fields):
    token = CSRF.search((await client.get("/staff/")).text).group(1)
    return await client.post(f"{PAGE}/export.csv", data={"_csrf_token": token, **fields})


def shown(page) -> list[str]:
    """The "About" links of the entries shown, top to bottom."""
    table = page.text.split('id="audit-entries"')[1].split("</table>")[0]
    return [line.split('">')[0] for line in table.split('href="/staff/appointments/')[1:]]


async def looks() -> list[dict]:
    return await AuditEntry.select().where(
        AuditEntry.action.is_in([trail.AUDIT_VIEWED, trail.AUDIT_EXPORTED])
    ).order_by(AuditEntry.id)  # fmt: skip


@pytest.fixture
async def world(db):
    return await audit_world()


async def test_a_coordinator_filters_their_regions_log_and_each_look_is_audited(client, world):
    w = world
    await log_in(client, "monique@example.nl")
    assert 'href="/staff/audit"' in (await client.get("/staff/")).text
    page = await client.get(PAGE)
    assert page.status_code == 200, page.text
    # The admin's look at Marta is about the north's appointment: Monique sees it.
    assert shown(page) == [str(w[k]) for k in ("marta_1", "marta_2", "other", "marta_1")]
    assert "Mihaela" not in page.text and "Admin" in page.text
    assert "Looked up the data held about a number" in page.text

    by_number = await show(client, phone="0048 601 234 567")
    assert by_number.status_code == 200
    assert shown(by_number) == [str(w["marta_1"]), str(w["marta_2"]), str(w["marta_1"])]
    by_staff = await show(client, staff=str(w["agnieszka"]), phone="+48 601 234 567")
    assert shown(by_staff) == [str(w["marta_1"])]
    by_appointment = await show(client, appointment=str(w["other"]))
    assert shown(by_appointment) == [str(w["other"])]
    assert shown(await show(client, **{"from": "2026-12-02"})) == []
    assert len(shown(await show(client, **{"from": "2026-12-01", "to": "2026-12-01"}))) == 4
    # Another region's appointment finds nothing, not even that it exists.
    assert shown(await show(client, appointment=str(w["west_one"]))) == []

    key = trail.subject_key(POLICY, MARTA)
    assert [(r["subject"], r["detail"]) for r in await looks()] == [
        (trail.AUDIT_LOG, None), (key, "phone"), (key, f"staff={w['agnieszka']} phone"),
        (trail.AUDIT_LOG, f"appointment={w['other']}"), (trail.AUDIT_LOG, "from=2026-12-02"),
        (trail.AUDIT_LOG, "from=2026-12-01 to=2026-12-01"),
        (trail.AUDIT_LOG, f"appointment={w['west_one']}"),
    ]  # fmt: skip
    assert all(r["account"] == w["monique"] for r in await looks())
    assert all("601" not in str(r) for r in await AuditEntry.select())


async def test_an_admin_sees_every_region_and_pages_back_by_keyset(client, world):
    await log_in(client, "admin@example.nl")
    page = await client.get(PAGE)
    assert {str(world["west_one"]), str(world["marta_1"])} <= set(shown(page))
    assert "Mihaela" in page.text and "Older entries" not in page.text
    for minute in range(60):  # more than one page
        await trail.record(world["mihaela"], trail.VIEWED_AGENDA, f"agenda:test-{minute}", NOW)
    first = await client.get(PAGE)
    older = int(first.text.split('name="before" value="')[1].split('"')[0])
    second = await show(client, before=str(older))
    assert second.status_code == 200 and "Older entries" not in second.text
    assert (first.text.count("agenda:test-"), second.text.count("agenda:test-")) == (50, 10)
    assert str(world["marta_1"]) in shown(second)


async def test_consultants_get_403_on_page_export_and_api(client, world):
    assert (await client.get(PAGE)).status_code in (302, 303)
    await log_in(client, "agnieszka@example.nl")
    assert 'href="/staff/audit"' not in (await client.get("/staff/")).text
    assert (await client.get(PAGE)).status_code == 403
    refused = await show(client, phone=MARTA)
    assert refused.status_code == 403 and "Monique" not in refused.text
    assert (await download(client)).status_code == 403
    headers = await api_token(client, "agnieszka@example.nl")
    assert (await client.get("/api/staff/audit", headers=headers)).status_code == 403
    assert (await client.post("/api/staff/audit", json={}, headers=headers)).status_code == 403
    assert await looks() == []


async def test_the_csv_download_is_the_filtered_log_formula_safe_and_audited(client, world):
    w = world
    await StaffAccount.update({StaffAccount.name: "=HYPERLINK(\"http://x\")"}).where(
        StaffAccount.id == w["agnieszka"]
    )  # fmt: skip
    await log_in(client, "monique@example.nl")
    got = await download(client, phone="0048601234567")
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in got.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(got.text.removeprefix("\ufeff"))))
    assert rows[0] == ["When", "Login", "Name", "E-mail", "Role", "Action", "About", "Details"]
    assert [(r[2], r[6]) for r in rows[1:]] == [
        ("Monique", trail.subject_key(POLICY, MARTA)),
        ("Admin", about(w["marta_1"])),
        ("Monique", about(w["marta_2"])),
        ('\'=HYPERLINK("http://x")', about(w["marta_1"])),
    ]
    assert rows[4][:2] == ["2026-12-01T09:00:00+01:00", str(w["agnieszka"])]
    assert MARTA not in got.text and "601" not in got.text
    assert [(r["action"], r["detail"]) for r in await looks()] == [(trail.AUDIT_EXPORTED, "phone")]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"appointment": "99999999999"}, "“Afspraak” moet een heel getal zijn van 1 tot en met"),
        ({"staff": "-3"}, "moet een heel getal zijn van 1 tot en met 2147483647."),
        ({"before": "1\x00"}, "bevat tekens die niet kunnen worden opgeslagen."),
        ({"phone": "+48 601\x00234 567"}, "bevat tekens die niet kunnen worden opgeslagen."),
        ({"phone": "12345"}, "Vul een mobiel nummer in dat sms-berichten kan ontvangen."),
        ({"phone": "4" * 200}, "Vul een mobiel nummer in dat sms-berichten kan ontvangen."),
        ({"from": "2026-13-01"}, "Geef de data op als jaar-maand-dag, bijvoorbeeld 2026-12-01."),
        ({"to": "0001-01-01"}, "Geef de data op als jaar-maand-dag, bijvoorbeeld 2026-12-01."),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "De einddatum mag niet vóór de begindatum"),
    ],
)
async def test_bad_filters_are_refused_in_the_readers_language(client, world, fields, message):
    await StaffAccount.update({StaffAccount.language: "nl"}).where(
        StaffAccount.id == world["monique"]
    )  # fmt: skip
    await log_in(client, "monique@example.nl")
    for refused in (await show(client, **fields), await download(client, **fields)):
        assert refused.status_code == 422, refused.text
        assert message in refused.text
        assert refused.headers["content-type"].startswith("text/html")
    assert await looks() == []


async def test_the_api_filters_pages_and_refuses_in_json(client, world):
    w = world
    headers = await api_token(client, "monique@example.nl")
    listed = await client.get("/api/staff/audit", headers=headers)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [e["appointment"] for e in body["entries"] if e["appointment"]] == [
        w["marta_1"], w["marta_2"], w["other"], w["marta_1"],
    ]  # fmt: skip
    assert body["older"] is None
    newest = body["entries"][0]
    assert newest["action"] == trail.VIEWED_AGENDA and newest["account_name"] == "Agnieszka"
    assert newest["at"].startswith("2026-12-01T08:06:00")

    found = await client.post("/api/staff/audit", json={"phone": "0048 601 234 567",
                              "from": "2026-12-01", "to": "2026-12-01"}, headers=headers)  # fmt: skip
    assert found.status_code == 200, found.text
    assert [e["subject"] for e in found.json()["entries"]] == [
        trail.subject_key(POLICY, MARTA), about(w["marta_1"]), about(w["marta_2"]),
        about(w["marta_1"]),
    ]  # fmt: skip
    by_staff = await client.get(f"/api/staff/audit?staff={w['agnieszka']}&before=999999",
                                headers=headers)  # fmt: skip
    assert len(by_staff.json()["entries"]) == 3

    for url, code in [
        ("/api/staff/audit?phone=%2B48601234567", "phone_in_address"),
        ("/api/staff/audit?appointment=99999999999", "out_of_range"),
        ("/api/staff/audit?from=2026-02-30", "bad_date"),
        ("/api/staff/audit?staff=1%00", "unstorable"),
    ]:
        refused = await client.get(url, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (422, code), url
        assert refused.json()["message"]
    for payload, code in [
        ({"appointment": 2**40}, "invalid_input"),
        ({"phone": "12345"}, "invalid_phone"),
        ({"phone": "+48\u0000601234567"}, "unstorable"),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "reversed_period"),
        ({"region": 1}, "invalid_input"),
    ]:
        refused = await client.post("/api/staff/audit", json=payload, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (422, code), payload
    assert [r["detail"] for r in await looks()] == [
        None, "phone from=2026-12-01 to=2026-12-01", f"staff={w['agnieszka']} before=999999",
    ]  # fmt: skip


async def test_an_appointment_links_to_who_saw_it_and_no_address_carries_a_number(client, world):
    w = world
    await log_in(client, "monique@example.nl")
    opened = await client.get(f"/staff/appointments/{w['marta_1']}")
    assert opened.status_code == 200, opened.text
    link = f'href="/staff/audit?appointment={w["marta_1"]}"'
    assert link in opened.text
    log = await client.get(f"{PAGE}?appointment={w['marta_1']}")
    assert log.status_code == 200
    # Monique's own look at the appointment a moment ago, the admin's, then Agnieszka's.
    assert shown(log) == [str(w["marta_1"])] * 3
    refused = await client.get(f"{PAGE}?phone=%2B48601234567")
    assert refused.status_code == 422
    assert "in the form or the request body, never in the address" in refused.text
    await log_in(client, "agnieszka@example.nl")
    assert link not in (await client.get(f"/staff/appointments/{w['marta_1']}")).text
