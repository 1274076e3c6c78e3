"""The week calendar of a point through its pages: lanes, blocks, absences, free times that
book a caller or start a walk-in, the print view, bad weeks, and both clock changes."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from booking.db.tables import Allocation, Appointment, AuditEntry, MigrantContact, StaffAbsence
from booking.services.auth.accounts import create_account
from tests import factories
from tests.conftest import NOW
from tests.page_rules import outside_references, policy_problems
from tests.staff_login import PASSWORD, csrf, log_in
from tests.web.test_api import VEGHEL_HOURS

#: NOW is Tuesday 1 December 2026, 09:00 in Veghel (UTC+1): ISO week 2026-W49.
TUE_1830 = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
THU_18 = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
WED = (datetime(2026, 12, 2, 8, 0, tzinfo=UTC), datetime(2026, 12, 2, 16, 0, tzinfo=UTC))
FREE = re.compile(
    r'<a class="free( now)?" href="/staff/points/\d+/week/free\?start=([^"]+)"'
    r' style="grid-column:(\d+);'
)


@pytest.fixture
async def week(db):
    north, west = await factories.region(), await factories.region("west-brabant")
    veghel = await factories.point(north, hours=VEGHEL_HOURS)
    topic = await factories.topic()
    agnieszka = await factories.staff(veghel, ["pl"], hours=VEGHEL_HOURS, name="Agnieszka")
    ioana = await factories.staff(veghel, ["ro"], hours=VEGHEL_HOURS, name="Ioana")
    ion = await factories.staff(veghel, ["ro"], "interpreter", hours=VEGHEL_HOURS, name="Ion")
    await StaffAbsence.insert(StaffAbsence(staff=ioana, starts_at=WED[0], ends_at=WED[1]))
    await create_account(
        email="agnieszka@example.nl", name="Agnieszka", password=PASSWORD, role="consultant",
        region_id=north, staff_id=agnieszka, language="en",
    )  # fmt: skip
    await create_account(
        email="mihaela@example.nl", name="Mihaela", password=PASSWORD, role="consultant",
        region_id=west, language="en",
    )  # fmt: skip
    jan = await appointment(veghel, topic, "pl", "phone", TUE_1830, {agnieszka: "consultant"})
    handover = await appointment(
        veghel, topic, "ro", "handover", THU_18, {agnieszka: "consultant", ion: "interpreter"}
    )
    return {"point": veghel, "topic": topic, "jan": jan, "handover": handover}


async def appointment(
    point: int, topic: int, language: str, channel: str, start: datetime, staff: dict[int, str]
) -> int:
    """A confirmed appointment holding ``staff`` (id: role) for half an hour."""
    contact = await MigrantContact.insert(
        MigrantContact(phone="+48601234567", language=language, first_name="Jan")
    )
    end = start + timedelta(minutes=30)
    [row] = await Appointment.insert(
        Appointment(
            point=point, topic=topic, contact=contact[0]["id"], language=language,
            channel=channel, status="confirmed", starts_at=start, ends_at=end,
            created_at=NOW, updated_at=NOW,
        )
    )  # fmt: skip
    await Allocation.insert(
        *(
            Allocation(
                appointment=row["id"],
                resource=f"staff:{staff_id}",
                role=role,
                staff=staff_id,
                starts_at=start,
                ends_at=end,
            )
            for staff_id, role in staff.items()
        )
    )
    return row["id"]


def free_cells(html: str) -> set[tuple[int, datetime, bool]]:
    """(lane column, start, walk-in) of every free-time link on the page."""
    return {
        (
            int(column),
            datetime.fromisoformat(start.replace("%3A", ":").replace("%2B", "+")),
            bool(now),
        )
        for now, start, column in FREE.findall(html)
    }


def section(html: str, day: str) -> str:
    """One day's part of the page."""
    return html.split(f'id="day-{day}"', 1)[1].split("<section", 1)[0]


async def test_the_week_shows_lanes_blocks_absences_and_free_times(client, week):
    await log_in(client, "agnieszka@example.nl")
    page = await client.get(f"/staff/points/{week['point']}/week?week=2026-W49")
    assert page.status_code == 200, page.text
    html = page.text
    assert "Week 49" in html and "30 November" in html and "6 December 2026" in html
    assert '?week=2026-W48"' in html and '?week=2026-W50"' in html
    # Lanes: consultants by name, then the interpreter.
    assert html.index(">Agnieszka<small>") < html.index(">Ioana<small>") < html.index(">Ion<small>")
    # Jan's phone appointment: one block, with the language named, topic, channel, status.
    assert html.count(f'href="/staff/appointments/{week["jan"]}"') == 1
    jan = html.split(f'id="appointment-{week["jan"]}"', 1)[1].split("</a>", 1)[0]
    for text in ("Polski", "Housing", "By phone", "Booked"):
        assert text in jan
    # 18:30 local is row 19 of a day shown from 09:00 (row 2 is 09:00): 114 + 2.
    assert "grid-column:2;grid-row:116/span 6;" in jan
    # The handover holds Agnieszka and Ion: a block in each lane, one anchor.
    assert html.count(f'href="/staff/handovers/{week["handover"]}"') == 2
    assert html.count(f'id="appointment-{week["handover"]}"') == 1
    assert "Română" in section(html, "2026-12-03")
    # Ioana is away on Wednesday from 09:00 to 17:00: shown, and nothing free in her lane.
    wednesday = section(html, "2026-12-02")
    assert "Absent 09:00–17:00" in wednesday
    cells = free_cells(html)
    ioana_wednesday = {c for c in cells if c[0] == 3 and c[1].date().isoformat() == "2026-12-02"}
    assert ioana_wednesday == set()
    # Free times are consultants' only, bookable from two hours ahead (11:00 local), not
    # where Jan sits (18:30) but in Ioana's lane at that time.
    assert {c[0] for c in cells} == {2, 3}
    tuesday = {c[1] for c in cells if c[0] == 2 and c[1].date().isoformat() == "2026-12-01"}
    assert min(tuesday) == NOW and NOW + timedelta(minutes=90) not in tuesday
    assert NOW + timedelta(hours=2) in tuesday
    assert TUE_1830 not in tuesday and TUE_1830 - timedelta(minutes=30) in tuesday
    assert (3, TUE_1830, False) in cells
    # Now (09:00 local) is free in both consultants' lanes: a walk-in there.
    assert {c for c in cells if c[2]} == {(2, NOW, True), (3, NOW, True)}
    assert (
        await AuditEntry.count().where(AuditEntry.subject == f"week:{week['point']}:2026-W49") == 1
    )
    assert (
        outside_references(html) == []
        and policy_problems(page.headers["content-security-policy"]) == []
    )


async def test_the_print_view_has_no_free_times_and_the_agenda_and_menu_link_here(client, week):
    await log_in(client, "agnieszka@example.nl")
    printed = (await client.get(f"/staff/points/{week['point']}/week?week=2026-W49&print=1")).text
    assert free_cells(printed) == set() and f"appointment-{week['jan']}" in printed
    agenda = (await client.get(f"/staff/points/{week['point']}/agenda?day=2026-12-03")).text
    assert f'href="/staff/points/{week["point"]}/week?week=2026-W49"' in agenda
    menu = await client.get("/staff/week")
    assert menu.status_code in (301, 302, 303, 307)
    assert menu.headers["location"] == f"/staff/points/{week['point']}/week"
    this_week = (await client.get(menu.headers["location"])).text
    assert 'aria-current="page"' in this_week and "Week 49" in this_week


async def test_a_free_time_books_a_caller_there_with_nothing_chosen_for_them(client, week):
    await log_in(client, "agnieszka@example.nl")
    start = "2026-12-01T17:00:00+00:00"
    url = f"/staff/points/{week['point']}/week/free?start={start.replace('+', '%2B')}"
    page = (await client.get(url)).text
    form = page[page.index("<main") :]  # the header's language menu has its own choice
    assert f'name="start" value="{start}"' in form
    assert " selected" not in form and " checked" not in form
    assert "Start a walk-in now" not in form  # 18:00 is not now
    booked = await client.post(
        f"/staff/points/{week['point']}/book",
        data={
            "_csrf_token": await csrf(client, url), "start": start, "back": "week",
            "topic": str(week["topic"]), "language": "pl", "phone": "+48 601 234 568",
        },
    )  # fmt: skip
    assert booked.status_code == 303, booked.text
    row = (
        await Appointment.select()
        .where(Appointment.starts_at == datetime.fromisoformat(start))
        .first()
    )
    assert row["channel"] == "phone" and row["language"] == "pl"
    assert booked.headers["location"] == (
        f"/staff/points/{week['point']}/week?week=2026-W49#appointment-{row['id']}"
    )
    # Not chosen: a clear message, nothing written.
    refused = await client.post(
        f"/staff/points/{week['point']}/book",
        data={"_csrf_token": await csrf(client, url), "start": start, "back": "week",
              "topic": "", "language": "", "phone": "+48 601 234 569"},
    )  # fmt: skip
    assert refused.status_code == 422, refused.text
    assert "cannot offer appointments in this language" in refused.text
    assert await Appointment.count() == 3


async def test_the_free_time_now_starts_a_walk_in_back_in_the_week(client, week):
    await log_in(client, "agnieszka@example.nl")
    url = f"/staff/points/{week['point']}/week/free?start={NOW.isoformat().replace('+', '%2B')}"
    form = (await client.get(url)).text
    assert "Start a walk-in now" in form and "Book and send the confirmation" not in form
    started = await client.post(
        f"/staff/points/{week['point']}/walk-in",
        data={"_csrf_token": await csrf(client, url), "back": "week",
              "topic": str(week["topic"]), "language": "ro", "first_name": "Ana"},
    )  # fmt: skip
    assert started.status_code == 303, started.text
    row = await Appointment.select().where(Appointment.channel == "walk_in").first()
    assert row["starts_at"] == NOW
    assert started.headers["location"].endswith(f"?week=2026-W49#appointment-{row['id']}")
    week_page = (await client.get(started.headers["location"].split("#")[0])).text
    block = week_page.split(f'id="appointment-{row["id"]}"', 1)[1].split("</a>", 1)[0]
    assert "Walk-in" in block and "Română" in block


async def test_the_appointment_page_marks_arrival_and_leads_back_to_the_week(client, week, clock):
    clock.now = TUE_1830 - timedelta(minutes=5)
    await log_in(client, "agnieszka@example.nl")
    page = f"/staff/appointments/{week['jan']}"
    html = (await client.get(page)).text
    assert f'/week?week=2026-W49#appointment-{week["jan"]}"' in html
    marked = await client.post(
        f"{page}/status",
        data={"_csrf_token": await csrf(client, page), "status": "arrived", "back": page},
    )
    assert marked.status_code == 303 and marked.headers["location"].startswith(page)
    row = await Appointment.select(Appointment.status).where(Appointment.id == week["jan"]).first()
    assert row["status"] == "arrived"


@pytest.mark.parametrize("asked", ["2026-W54", "2026-49", "W49", "1999-W10", "2026-W4x"])
async def test_a_week_that_does_not_exist_is_a_clear_422(client, week, asked):
    await log_in(client, "agnieszka@example.nl")
    page = await client.get(f"/staff/points/{week['point']}/week?week={asked}")
    assert page.status_code == 422
    assert "year and number" in page.text or "between 2000 and 2100" in page.text


async def test_bad_starts_and_other_regions_are_refused(client, week):
    for url in (f"/staff/points/{week['point']}/week", "/staff/week"):
        anonymous = await client.get(url)
        assert (
            anonymous.status_code in (302, 303, 307)
            and "/staff/login" in anonymous.headers["location"]
        )
    await log_in(client, "mihaela@example.nl")
    other = await client.get(f"/staff/points/{week['point']}/week")
    assert other.status_code in (404, 422) and "Agnieszka" not in other.text
    client.cookies.clear()
    await log_in(client, "agnieszka@example.nl")
    for start in ("tomorrow", "2026-12-01T17:00:00", "9999-12-01T17:00:00%2B00:00"):
        refused = await client.get(f"/staff/points/{week['point']}/week/free?start={start}")
        assert refused.status_code == 422, (start, refused.status_code)
    assert (await client.get("/staff/points/99999999999/week")).status_code in (404, 422)


@pytest.fixture
async def night_point(db):
    """Open every day from 01:00 to 21:00, holidays too (Easter 2027 is the spring change)."""
    north = await factories.region()
    point = await factories.point(
        north, hours=((range(7), "01:00", "21:00"),), closed_on_holidays=False
    )
    topic = await factories.topic()
    marek = await factories.staff(
        point, ["pl"], hours=((range(7), "01:00", "21:00"),), name="Marek"
    )
    await create_account(
        email="marek@example.nl", name="Marek", password=PASSWORD, role="consultant",
        region_id=north, staff_id=marek, language="en",
    )  # fmt: skip
    return {"point": point, "topic": topic, "marek": marek}


async def test_the_spring_sunday_has_23_hours_and_the_autumn_one_25(client, night_point):
    point, topic, marek = night_point["point"], night_point["topic"], night_point["marek"]
    # 18:30 on Sunday 28 March 2027 (CEST, 16:30 UTC) and Sunday 25 October 2026 (CET).
    spring = await appointment(
        point,
        topic,
        "pl",
        "phone",
        datetime(2027, 3, 28, 16, 30, tzinfo=UTC),
        {marek: "consultant"},
    )
    autumn = await appointment(
        point,
        topic,
        "pl",
        "phone",
        datetime(2026, 10, 25, 17, 30, tzinfo=UTC),
        {marek: "consultant"},
    )
    await log_in(client, "marek@example.nl")
    march = (await client.get(f"/staff/points/{point}/week?week=2027-W12")).text
    saturday, sunday = section(march, "2027-03-27"), section(march, "2027-03-28")
    assert "--rows:240" in saturday and "--rows:228" in sunday  # 20 hours, then 19
    assert ">02:00<" in saturday and ">02:00<" not in sunday and ">03:00<" in sunday
    # 18:30 is 17.5 hours after 01:00 on Saturday, 16.5 real hours on Sunday.
    assert "grid-row:200/span 6" in sunday.split(f'id="appointment-{spring}"', 1)[1][:200]
    october = (await client.get(f"/staff/points/{point}/week?week=2026-W43")).text
    sunday = section(october, "2026-10-25")
    assert "--rows:252" in sunday and sunday.count(">02:00<") == 2  # 21 real hours
    assert "grid-row:224/span 6" in sunday.split(f'id="appointment-{autumn}"', 1)[1][:200]
