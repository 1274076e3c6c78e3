"""Reading the audit log back (issue 10 item 7): filters by staff member, appointment, phone
number and local days, a coordinator's region only, keyset pages that entries written
meanwhile do not shift, and the CSV export with formula-safe cells."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

from booking.db.tables import Appointment, AuditEntry, MigrantContact
from booking.domain.policy import Policy
from booking.services.audit import export, search, trail
from booking.services.audit.search import Filter
from booking.services.auth import accounts
from booking.settings import get_settings
from tests import factories
from tests.conftest import NOW
from tests.staff_login import PASSWORD

POLICY = Policy.from_settings(get_settings())
MARTA = "+48601234567"
HEADER = ("when", "account", "name", "email", "role", "action", "subject", "detail")


async def appointment(point_id: int, topic_id: int, phone: str | None) -> int:
    contact = None
    if phone:
        contact = (await MigrantContact.insert(MigrantContact(phone=phone, language="pl")))[0]["id"]
    start = NOW + timedelta(days=1)
    row = Appointment(
        point=point_id, topic=topic_id, contact=contact, language="pl", channel="online",
        status="confirmed", starts_at=start, ends_at=start + timedelta(minutes=30),
    )  # fmt: skip
    return (await Appointment.insert(row))[0]["id"]


async def login(email: str, role: str, region: int | None, name: str) -> int:
    return await accounts.create_account(
        email=email, name=name, password=PASSWORD, role=role, region_id=region, language="en"
    )


async def audit_world() -> dict[str, int]:
    """Two regions, each with a point, a coordinator and a consultant, and an admin; Marta's
    two appointments in the north (two contacts, one number), one of someone else's, and
    one in the west. Every login has looked at something."""
    north, west = await factories.region(), await factories.region("west-brabant")
    veghel, breda = await factories.point(north), await factories.point(west, "breda")
    topic = await factories.topic()
    world = {
        "north": north, "west": west, "veghel": veghel, "breda": breda,
        "monique": await login("monique@example.nl", "coordinator", north, "Monique"),
        "agnieszka": await login("agnieszka@example.nl", "consultant", north, "Agnieszka"),
        "willem": await login("willem@example.nl", "coordinator", west, "Willem"),
        "mihaela": await login("mihaela@example.nl", "consultant", west, "Mihaela"),
        "admin": await login("admin@example.nl", "admin", None, "Admin"),
        "marta_1": await appointment(veghel, topic, MARTA),
        "marta_2": await appointment(veghel, topic, MARTA),
        "other": await appointment(veghel, topic, "+40722000111"),
        "west_one": await appointment(breda, topic, "+359881234567"),
    }  # fmt: skip
    await see(world["agnieszka"], world["marta_1"], NOW)
    await see(world["agnieszka"], world["other"], NOW + timedelta(minutes=1))
    await see(world["monique"], world["marta_2"], NOW + timedelta(minutes=2))
    await see(world["mihaela"], world["west_one"], NOW + timedelta(minutes=3))
    await see(world["admin"], world["marta_1"], NOW + timedelta(minutes=4))
    await trail.record(world["monique"], trail.EXPORTED_SUBJECT_DATA,
                       trail.subject_key(POLICY, MARTA), NOW + timedelta(minutes=5))  # fmt: skip
    await trail.record(world["agnieszka"], trail.VIEWED_AGENDA, f"agenda:{veghel}:2026-12-01",
                       NOW + timedelta(minutes=6))  # fmt: skip
    return world


async def see(account_id: int, appointment_id: int, at: datetime) -> None:
    await trail.record(account_id, trail.VIEWED_APPOINTMENT, f"appointment:{appointment_id}", at)


async def found(wanted: Filter, region_id: int | None = None) -> list[tuple[int, str]]:
    """(account, subject) of every entry found, newest first."""
    entries = [e async for e in search.every_entry(POLICY, wanted, region_id, batch=2)]
    return [(e.account_id, e.subject) for e in entries]


def about(appointment_id: int) -> str:
    return f"appointment:{appointment_id}"


async def test_each_filter_narrows_to_what_it_names(db):
    w = await audit_world()
    assert await found(Filter(staff_id=w["agnieszka"])) == [
        (w["agnieszka"], f"agenda:{w['veghel']}:2026-12-01"),
        (w["agnieszka"], about(w["other"])),
        (w["agnieszka"], about(w["marta_1"])),
    ]
    assert await found(Filter(appointment_id=w["marta_1"])) == [
        (w["admin"], about(w["marta_1"])), (w["agnieszka"], about(w["marta_1"])),
    ]  # fmt: skip
    by_number = [
        (w["monique"], trail.subject_key(POLICY, MARTA)),
        (w["admin"], about(w["marta_1"])),
        (w["monique"], about(w["marta_2"])),
        (w["agnieszka"], about(w["marta_1"])),
    ]
    assert await found(Filter(phone=MARTA)) == by_number
    both = Filter(phone=MARTA, staff_id=w["agnieszka"])
    assert await found(both) == [(w["agnieszka"], about(w["marta_1"]))]
    assert await found(Filter(phone="+48609999999")) == []


async def test_an_erased_number_no_longer_leads_to_its_appointments(db):
    w = await audit_world()
    await MigrantContact.update({MigrantContact.phone: None}).where(MigrantContact.phone == MARTA)
    assert await found(Filter(phone=MARTA)) == [(w["monique"], trail.subject_key(POLICY, MARTA))]


async def test_days_are_local_days_in_the_netherlands(db):
    w = await audit_world()
    # 23:30 UTC on 30 November is 00:30 on 1 December in Amsterdam; 23:30 UTC on
    # 1 December is already 2 December there.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    await see(w["willem"], w["west_one"], late)
    await see(w["willem"], w["west_one"], late + timedelta(days=1))
    december_1 = await found(Filter(staff_id=w["willem"], first=date(2026, 12, 1),
                                    last=date(2026, 12, 1)))  # fmt: skip
    assert len(december_1) == 1
    november = Filter(first=date(2026, 11, 1), last=date(2026, 11, 30))
    assert await found(november) == []
    everything = await AuditEntry.count()
    assert len(await found(Filter(first=date(2026, 12, 1)))) == everything
    assert len(await found(Filter(last=date(2026, 12, 1)))) == everything - 1


async def test_a_coordinator_sees_who_touched_their_regions_appointments(db):
    """Entries about an appointment belong to the appointment's region, whoever wrote them:
    an admin's look at Marta is the north's to see, and so is a slip by another region's
    login; other entries belong to the writer's region."""
    w = await audit_world()
    north = await found(Filter(), w["north"])
    assert {account for account, _ in north} == {w["monique"], w["agnieszka"], w["admin"]}
    assert (w["admin"], about(w["marta_1"])) in north
    assert about(w["west_one"]) not in {subject for _, subject in north}
    # A northern consultant's look at a western appointment is the west's business: the
    # north sees nothing of the west's appointment through it.
    await see(w["agnieszka"], w["west_one"], NOW + timedelta(minutes=10))
    assert (w["agnieszka"], about(w["west_one"])) not in await found(Filter(), w["north"])
    west = await found(Filter(), w["west"])
    assert (w["agnieszka"], about(w["west_one"])) in west
    assert {account for account, _ in west} == {w["mihaela"], w["agnieszka"]}
    # Monique's subject-access export and Agnieszka's agenda look stay the north's.
    assert not any(subject.startswith("agenda:") for _, subject in west)
    assert await found(Filter(phone=MARTA), w["west"]) == []
    assert await found(Filter(appointment_id=w["marta_1"]), w["west"]) == []
    assert len(await found(Filter())) == await AuditEntry.count()


async def test_status_and_outcome_subjects_count_for_their_appointment(db):
    w = await audit_world()
    status = f"appointment:{w['marta_1']}:no_show"
    await trail.record(w["agnieszka"], trail.CHANGED_STATUS, status, NOW + timedelta(hours=1))
    outcome = f"appointment:{w['west_one']}:took_place"
    await trail.record(w["mihaela"], trail.RECORDED_OUTCOME, outcome, NOW + timedelta(hours=1))
    # Neighbours and oddities: another id that starts with the same digits, and subjects
    # whose id is no number (PostgreSQL would fail a query that cast them).
    odd = [f"appointment:{w['marta_1']}0:arrived", "appointment:12:9", "appointment:",
           "appointment:99999999999999999999:done", "appointment:1;DROP"]  # fmt: skip
    for subject in odd:
        await trail.record(w["agnieszka"], trail.CHANGED_STATUS, subject, NOW + timedelta(hours=2))
    mine = await found(Filter(appointment_id=w["marta_1"]))
    assert mine[0] == (w["agnieszka"], status) and len(mine) == 3
    assert (w["agnieszka"], status) in await found(Filter(phone=MARTA))
    north = {subject for _, subject in await found(Filter(), w["north"])}
    assert status in north and outcome not in north and not north & set(odd)
    assert outcome in {subject for _, subject in await found(Filter(), w["west"])}
    entries = (await search.page(POLICY, Filter(staff_id=w["agnieszka"]), None, size=6)).entries
    assert [e.appointment_id for e in entries] == [
        None, None, None, 12, w["marta_1"] * 10, w["marta_1"],
    ]  # fmt: skip


async def test_keyset_pages_do_not_shift_when_entries_are_written_meanwhile(db):
    w = await audit_world()
    total = await AuditEntry.count()
    first = await search.page(POLICY, Filter(), None, size=3)
    assert len(first.entries) == 3 and first.older == first.entries[-1].id
    for minute in range(5):  # newer entries arrive while the reader reads page one
        await see(w["admin"], w["other"], NOW + timedelta(hours=1, minutes=minute))
    pages, before = [first.entries], first.older
    while before is not None:
        more = await search.page(POLICY, Filter(), None, before=before, size=3)
        pages.append(more.entries)
        before = more.older
    ids = [e.id for entries in pages for e in entries]
    assert len(ids) == total and len(set(ids)) == total
    assert ids == sorted(ids, reverse=True)
    assert [len(entries) for entries in pages] == [3, 3, 1]


async def test_the_csv_holds_every_entry_and_runs_no_formula(db):
    w = await audit_world()
    sly = await login("sly@example.nl", "consultant", w["north"], '=HYPERLINK("http://x","y")')
    await see(sly, w["marta_1"], NOW + timedelta(hours=1))
    await trail.record(sly, trail.VIEWED_AGENDA, "+cmd|' /C calc'!A0", NOW + timedelta(hours=2))
    chunks = [c async for c in export.csv_chunks(POLICY, Filter(), None, HEADER)]
    text = "".join(chunks)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == list(HEADER) and len(rows) == 1 + await AuditEntry.count()
    assert rows[1] == [
        "2026-12-01T11:00:00+01:00", str(sly), "'=HYPERLINK(\"http://x\",\"y\")",
        "sly@example.nl", "consultant", "viewed_agenda", "'+cmd|' /C calc'!A0", "",
    ]  # fmt: skip
    assert rows[2][2] == '\'=HYPERLINK("http://x","y")' and rows[2][6] == about(w["marta_1"])
    for cells in rows[1:]:
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), cells


async def test_looking_and_exporting_are_written_with_the_filter_never_the_number(db):
    w = await audit_world()
    wanted = Filter(phone=MARTA, staff_id=w["agnieszka"], first=date(2026, 12, 1))
    await search.look(POLICY, wanted, w["north"], account_id=w["monique"], now=NOW, before=99)
    stream = await export.export(POLICY, wanted, w["north"], HEADER, account_id=w["monique"],
                                 now=NOW)  # fmt: skip
    assert "".join([c async for c in stream]).count("\n") == 2  # header and one entry
    rows = await AuditEntry.select().where(
        AuditEntry.action.is_in([trail.AUDIT_VIEWED, trail.AUDIT_EXPORTED])
    ).order_by(AuditEntry.id)  # fmt: skip
    key = trail.subject_key(POLICY, MARTA)
    assert [(r["action"], r["subject"], r["detail"]) for r in rows] == [
        (trail.AUDIT_VIEWED, key, f"staff={w['agnieszka']} phone from=2026-12-01 before=99"),
        (trail.AUDIT_EXPORTED, key, f"staff={w['agnieszka']} phone from=2026-12-01"),
    ]
    assert all("601" not in str(r) for r in rows)
    # A later search for the number shows who looked it up in the log.
    later = await found(Filter(phone=MARTA, staff_id=w["monique"]))
    assert [subject for _, subject in later] == [key, key, key, about(w["marta_2"])]
    plain_look = Filter(appointment_id=w["other"])
    await search.look(POLICY, plain_look, None, account_id=w["admin"], now=NOW)
    last = await AuditEntry.select().order_by(AuditEntry.id, ascending=False).first()
    assert (last["subject"], last["detail"]) == (trail.AUDIT_LOG, f"appointment={w['other']}")
