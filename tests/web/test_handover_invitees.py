"""Invites that everyone gets (issue 13): the API refuses a handover in which someone booked
has no e-mail address; the staff screen books it and warns; the demo's staff all have one."""

from booking.db.tables import Agency, Appointment, Handover, Message, StaffMember
from booking.services.demo import load_demo
from booking.services.handovers.views import handover
from tests import factories
from tests.staff_login import api_token, log_in
from tests.web.test_invite_pages import TUE_18, book, handover_world


def body(world, **changes) -> dict:
    return {
        "point": world["veghel"], "agency": world["agency"], "topic": world["topic"],
        "start": TUE_18.isoformat(), "duration_minutes": 60, "interpreter_language": "ro",
        "interpreter_mode": "on_site", "phone": "+40712345678", "language": "ro", **changes,
    }  # fmt: skip


async def test_the_api_refuses_a_handover_with_someone_who_gets_no_invite(client):
    world = await handover_world()
    await StaffMember.update({StaffMember.email: ""}).where(StaffMember.id == world["ion"])
    auth = await api_token(client, "agnieszka@example.nl")
    refused = await client.post("/api/handovers", json=body(world), headers=auth)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "no_email" and "Ion" in refused.json()["message"]
    assert await Appointment.count() == await Handover.count() == await Message.count() == 0
    dutch = await client.post(
        "/api/handovers", json=body(world), headers={**auth, "accept-language": "nl"}
    )
    assert "e-mailadres" in dutch.json()["message"]

    # Without the interpreter everyone has an address: booked.
    fine = body(world, interpreter_language=None, interpreter_mode=None)
    booked = await client.post("/api/handovers", json=fine, headers=auth)
    assert booked.status_code == 201, booked.text
    assert booked.json()["uninvited"] == []


async def test_the_handover_screen_warns_who_gets_no_invite(client):
    world = await handover_world()
    await StaffMember.update({StaffMember.email: ""}).where(StaffMember.id == world["ion"])
    appointment_id = await book(world)
    assert (await handover(appointment_id)).uninvited == ["Ion"]
    await log_in(client, "agnieszka@example.nl")
    page = await client.get(f"/staff/handovers/{appointment_id}")
    assert 'id="uninvited"' in page.text and "Ion" in page.text


async def test_handovers_that_do_not_fit_together_are_refused_with_a_message(client):
    world = await handover_world()
    other_point = await factories.point(world["region"], slug="uden")
    elsewhere = await factories.staff(other_point, ["nl"], name="Sanne", email="s@bmip.example",
                                      region=world["region"])  # fmt: skip
    video_only = await factories.agency(world["region"], "fairwork", emails=["fw@fw.example"],
                                        topics=[world["topic"]])  # fmt: skip
    await Agency.update({Agency.video_only: True}).where(Agency.id == video_only)
    auth = await api_token(client, "agnieszka@example.nl")
    cases = [
        (body(world, consultant=elsewhere), "consultant_not_at_point"),
        (body(world, agency=video_only), "video_only_agency"),
        (body(world, place="video"), "on_site_at_video"),
    ]
    for wrong, code in cases:
        refused = await client.post("/api/handovers", json=wrong, headers=auth)
        assert (refused.status_code, refused.json()["code"]) == (422, code), refused.text
    assert await Appointment.count() == 0
    fits = body(world, agency=video_only, place="video", interpreter_mode="phone")
    assert (await client.post("/api/handovers", json=fits, headers=auth)).status_code == 201


async def test_everyone_in_the_demo_has_an_address_for_invites(db):
    await load_demo()
    staff = await StaffMember.select(StaffMember.name, StaffMember.kind, StaffMember.email)
    kinds = {r["kind"] for r in staff}
    assert {StaffMember.CONSULTANT, StaffMember.INTERPRETER} <= kinds
    addresses = [r["email"] for r in staff]
    assert all(a and a.isascii() and a.count("@") == 1 for a in addresses), staff
    assert len(set(addresses)) == len(addresses)
    assert all(await Agency.select(Agency.email).output(as_list=True))
