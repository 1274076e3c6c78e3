"""README's handover API promises that had no test (issue 11): `declined=true`, the 62-day
limit of a list, `interpreter=` in the slot search, and 409 when a move cannot hold everyone."""

from booking.db.tables import Appointment, InviteAttendee, Message, StaffMember
from booking.services.handovers import invite_replies
from tests import factories
from tests.staff_login import api_token
from tests.web import test_handover_api
from tests.web.test_handover_api import THU_18, TUE_18, body

world = test_handover_api.world  # the fixture

SEARCH = {
    "from": "2026-12-01", "to": "2026-12-01", "duration_minutes": 45,
    "interpreter_language": "pl", "interpreter_mode": "on_site", "consultant_joins": "false",
}  # fmt: skip


async def test_declined_true_lists_only_the_handovers_someone_declined(client, world, clock):
    auth = await api_token(client, "agnieszka@example.nl")
    first = (await client.post("/api/handovers", json=body(world), headers=auth)).json()
    second = await client.post("/api/handovers", json=body(world, start=THU_18), headers=auth)
    assert second.status_code == 201, second.text
    interpreter = await (
        InviteAttendee.select(InviteAttendee.id)
        .where(
            (InviteAttendee.appointment == second.json()["id"])
            & (InviteAttendee.role == InviteAttendee.INTERPRETER)
        )
        .first()
    )
    await invite_replies.record(
        second.json()["id"], interpreter["id"], InviteAttendee.DECLINED, clock()
    )
    week = {"from": "2026-12-01", "to": "2026-12-07"}
    every = (await client.get("/api/handovers", params=week, headers=auth)).json()
    declined = await client.get("/api/handovers", params={**week, "declined": "true"}, headers=auth)
    assert sorted(h["id"] for h in every) == sorted([first["id"], second.json()["id"]])
    assert [(h["id"], h["declined"]) for h in declined.json()] == [(second.json()["id"], True)]


async def test_a_list_covers_at_most_62_days(client, world):
    auth = await api_token(client, "agnieszka@example.nl")
    await client.post("/api/handovers", json=body(world), headers=auth)
    sixty_two = {"from": "2026-12-01", "to": "2027-01-31"}  # 62 days, both ends counted
    listed = await client.get("/api/handovers", params=sixty_two, headers=auth)
    assert listed.status_code == 200 and len(listed.json()) == 1
    for first, last in (("2026-12-01", "2027-02-09"), ("2026-12-07", "2026-12-01")):
        refused = await client.get(
            "/api/handovers", params={"from": first, "to": last}, headers=auth
        )
        assert refused.status_code == 422, (first, last, refused.text)
        assert refused.json()["code"] == "invalid_date_range"


async def test_interpreter_asks_for_that_interpreter_s_free_times(client, world):
    auth = await api_token(client, "agnieszka@example.nl")
    pawel = await factories.staff(
        world["veghel"], ["pl"], "interpreter", name="Paweł", modes=["on_site"],
        email="pawel@tolk.example",
    )  # fmt: skip
    piotr = (await StaffMember.select(StaffMember.id).where(StaffMember.name == "Piotr"))[0]["id"]
    booked = (await client.post("/api/handovers", json=body(world), headers=auth)).json()
    held = booked["interpreter"]["id"]
    free = {piotr, pawel} - {held}
    assert held in (piotr, pawel) and len(free) == 1
    free = free.pop()
    query = {**SEARCH, "point": world["veghel"], "agency": world["agency"], "topic": world["topic"]}

    def starts(response) -> list[str]:
        assert response.status_code == 200, response.text
        return [t["start"] for t in response.json()["times"]]

    busy = starts(await client.get("/api/handovers/slots", params={**query, "interpreter": held},
                                   headers=auth))  # fmt: skip
    other = await client.get(
        "/api/handovers/slots", params={**query, "interpreter": free}, headers=auth
    )
    assert TUE_18 not in busy and TUE_18 in starts(other)
    assert busy and set(busy) <= set(starts(other))


async def test_a_move_onto_a_time_someone_is_held_at_is_409_and_changes_nothing(client, world):
    auth = await api_token(client, "agnieszka@example.nl")
    tuesday = (await client.post("/api/handovers", json=body(world), headers=auth)).json()
    await client.post("/api/handovers", json=body(world, start=THU_18), headers=auth)
    messages = await Message.count()
    moved = await client.post(
        f"/api/handovers/{tuesday['id']}/reschedule", json={"start": THU_18}, headers=auth
    )
    assert moved.status_code == 409, moved.text
    assert moved.json()["code"] == "slot_taken"
    row = await Appointment.select(Appointment.starts_at).where(Appointment.id == tuesday["id"])
    assert row[0]["starts_at"].isoformat() == "2026-12-01T17:00:00+00:00"
    assert await Message.count() == messages  # no update went out
