"""The migrant's own page for a warm handover: where, with whom, and cancelling (issue 6)."""

import re

import pytest
import vobject
from icalendar import Calendar

from booking.db.tables import Appointment, InviteAttendee, Message
from tests.staff_login import CSRF
from tests.web.test_invite_pages import NOTE, POLICY, book, handover_world, mails


async def link(appointment_id: int) -> str:
    row = (
        await Appointment.select(Appointment.manage_salt)
        .where(Appointment.id == appointment_id)
        .first()
    )
    return POLICY.manage_token(row["manage_salt"])


def facts(html: str) -> dict[str, str]:
    """The page's facts list, tags removed: {"When": "...", "Where": "..."}."""
    found = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html, re.S)
    return {dt: re.sub(r"<[^>]+>", "", dd.replace("<br>", "\n")).strip() for dt, dd in found}


async def test_the_page_names_the_agency_the_interpreter_and_offers_no_move(client):
    world = await handover_world()
    token = await link(await book(world))

    page = await client.get(f"/en/m/{token}")
    assert page.status_code == 200, page.text
    shown = facts(page.text)
    assert shown["With"] == "Gemeente Gemeente"
    assert shown["Where"] == "Gemeente Gemeente, Stadhuisplein 1, Veghel"
    assert shown["When"] == "Tuesday, 1 December 2026, 18:00–19:00"
    assert "An interpreter for Romanian will be there." in shown["Who is there"]
    assert "Your consultant Agnieszka comes with you." in shown["Who is there"]
    assert "told Gemeente Gemeente briefly" in shown["Handover note"]
    assert NOTE not in page.text  # for staff and the agency only (DOMAIN.md rule 6)
    assert f"/m/{token}/move" not in page.text
    assert "To change the time, please contact Point veghel." in page.text
    assert f"/en/m/{token}/cancel" in page.text
    assert "Your appointment" in page.text.split("<title>")[1].split("</title>")[0]

    for url in (f"/en/m/{token}/move", f"/en/m/{token}/move/2026-12-03"):
        refused = await client.get(url)
        assert refused.status_code == 409
        assert "moved by your consultant" in refused.text

    calendar = Calendar.from_ical((await client.get(f"/m/{token}/appointment.ics")).content)
    [event] = calendar.walk("VEVENT")
    assert str(event["LOCATION"]) == "Gemeente Gemeente, Stadhuisplein 1, Veghel"


@pytest.mark.parametrize(
    ("changes", "where", "who"),
    [
        (
            {"place": "video", "interpreter_mode": "phone", "consultant_joins": False},
            "Video call\nhttps://meet.jit.si/loket-",
            ["An interpreter for Romanian takes part by phone.",
             "Your consultant does not come with you."],
        ),
        (
            {"place": "point", "interpreter_language": None, "interpreter_mode": None,
             "note": ""},
            "Point veghel, Kennedylaan 21, Veghel",
            ["Your consultant Agnieszka comes with you."],
        ),
    ],
)  # fmt: skip
async def test_a_handover_by_video_or_at_the_point_says_so(client, changes, where, who):
    world = await handover_world()
    token = await link(await book(world, **changes))

    shown = facts((await client.get(f"/en/m/{token}")).text)

    assert shown["Where"].startswith(where)
    assert shown["Who is there"].split("\n") == who
    assert ("Handover note" in shown) == bool(changes.get("note", NOTE))


async def test_cancelling_from_the_page_sends_every_invitee_a_cancel(client):
    world = await handover_world()
    appointment_id = await book(world)
    token = await link(appointment_id)
    invited = {
        r["email"]
        for r in await InviteAttendee.select(InviteAttendee.email).where(
            InviteAttendee.appointment == appointment_id
        )
    }
    before = len(await mails(appointment_id))

    form = await client.get(f"/en/m/{token}/cancel")
    assert "Gemeente Gemeente, Stadhuisplein 1, Veghel" in form.text
    done = await client.post(
        f"/en/m/{token}/cancel", data={"_csrf_token": CSRF.search(form.text).group(1)}
    )
    assert done.status_code == 303, done.text

    cancels = (await mails(appointment_id))[before:]
    assert {to for to, _, _ in cancels} == invited and len(cancels) == len(invited)
    for _, text, ics in cancels:
        assert "METHOD:CANCEL" in ics
        event = vobject.readOne(ics).vevent
        assert (event.status.value, event.sequence.value) == ("CANCELLED", "1")
        assert "cancel" in text.lower() or "geannuleerd" in text.lower()
    kinds = await Message.select(Message.kind).where(
        (Message.appointment == appointment_id) & (Message.channel == Message.SMS)
    )
    assert Message.CANCELLATION in [k["kind"] for k in kinds]
    page = await client.get(f"/en/m/{token}")
    assert "This appointment is cancelled" in page.text
