"""The walk-in queue in the staff API: add, list, call, served and gone, with the statuses
the desk and the reports read afterwards (issue 17)."""

import re

from booking.db.tables import Appointment, AuditEntry, Message, QueueEntry
from tests.staff_login import api_token
from tests.web.test_staff import world  # noqa: F401  (the fixture)

QUEUE = "/api/staff/queue/"


async def join(client, auth, world, **changes):  # noqa: F811
    sent = {"point": world["veghel"], "topic": world["topic"], "language": "pl", **changes}
    return await client.post(QUEUE, json=sent, headers=auth)


async def test_a_walk_in_is_added_called_and_served_through_the_api(client, world):  # noqa: F811
    auth = await api_token(client, "agnieszka@example.nl")
    first = await join(client, auth, world, phone="+48 601 234 567")
    second = await join(client, auth, world, language="nl")
    assert (first.status_code, second.status_code) == (201, 201), first.text
    assert first.json()["number"] == 1 and first.json()["wait_minutes"] == 0
    assert second.json()["number"] == 2 and second.json()["wait_minutes"] > 0

    listed = await client.get(QUEUE, params={"point": world["veghel"]}, headers=auth)
    assert listed.status_code == 200
    assert [(e["number"], e["status"], e["has_phone"]) for e in listed.json()] == [
        (1, "waiting", True),
        (2, "waiting", False),
    ]
    assert "601" not in listed.text  # whether a number was left, never the number

    called = await client.post(f"{QUEUE}next", json={"point": world["veghel"], "desk": "Desk 3"},
                               headers=auth)  # fmt: skip
    assert called.status_code == 200, called.text
    assert (called.json()["number"], called.json()["waited_minutes"]) == (1, 0)
    appointment_id = called.json()["appointment"]
    entry_id = first.json()["id"]

    served = await client.post(f"{QUEUE}{entry_id}/served", json={}, headers=auth)
    assert served.json() == {"id": entry_id, "status": "served"}
    [row] = await Appointment.select().where(Appointment.id == appointment_id)
    assert (row["channel"], row["status"]) == ("walk_in", "done")
    assert await AuditEntry.count().where(
        AuditEntry.subject == f"appointment:{appointment_id}:served"
    )
    again = await client.post(f"{QUEUE}{entry_id}/served", json={}, headers=auth)
    assert (again.status_code, again.json()["code"]) == (409, "queue_entry_closed")

    # The screen still shows the served number as called.
    screen = await client.get(f"/screen/{world['veghel']}")
    assert re.search(r'id="now">1<', screen.text) and "Desk 3" in screen.text

    # Number 2 was never called: it cannot be served, but its person may go away.
    waiting_id = second.json()["id"]
    early = await client.post(f"{QUEUE}{waiting_id}/served", json={}, headers=auth)
    assert (early.status_code, early.json()["code"]) == (409, "queue_entry_closed")
    gone = await client.post(f"{QUEUE}{waiting_id}/gone", json={}, headers=auth)
    assert gone.json() == {"id": waiting_id, "status": "gone"}
    empty = await client.post(f"{QUEUE}next", json={"point": world["veghel"]}, headers=auth)
    assert (empty.status_code, empty.json()["code"]) == (409, "queue_empty")
    statuses = [e["status"] for e in (await client.get(
        QUEUE, params={"point": world["veghel"]}, headers=auth)).json()]  # fmt: skip
    assert statuses == ["served", "gone"]
    assert await Appointment.count() == 1


async def test_a_called_number_that_went_away_is_a_no_show_and_the_next_hears_it(client, world):  # noqa: F811
    auth = await api_token(client, "agnieszka@example.nl")
    first = (await join(client, auth, world)).json()
    second = (await join(client, auth, world, phone="+48 601 234 567")).json()
    called = await client.post(f"{QUEUE}{first['id']}/call", json={"desk": "2"}, headers=auth)
    assert called.status_code == 200, called.text
    # The second is first in line now: one "you are next" text.
    assert await Message.count().where(Message.kind == Message.QUEUE_NEXT) == 1
    gone = await client.post(f"{QUEUE}{first['id']}/gone", json={}, headers=auth)
    assert gone.status_code == 200
    [row] = await Appointment.select(Appointment.status)
    assert row["status"] == "no_show"
    # An ended number cannot be called again.
    refused = await client.post(f"{QUEUE}{first['id']}/call", json={}, headers=auth)
    assert (refused.status_code, refused.json()["code"]) == (409, "already_called")
    assert (await QueueEntry.select(QueueEntry.status).where(
        QueueEntry.id == second["id"]))[0]["status"] == "waiting"  # fmt: skip


async def test_bad_input_is_a_clear_422_and_writes_nothing(client, world):  # noqa: F811
    auth = await api_token(client, "agnieszka@example.nl")
    for changes, field in (
        ({"phone": "12"}, "phone"),
        ({"topic": 999_999}, "topic"),
        ({"language": "xx"}, "language"),
        ({"phone": "9" * 33}, "phone"),
        ({"point": 0}, "point"),
        ({"extra": 1}, "extra"),
    ):
        refused = await join(client, auth, world, **changes)
        assert refused.status_code == 422, (changes, refused.text)
        assert refused.json()["field"] == field, (changes, refused.json())
    long_desk = await client.post(
        f"{QUEUE}next", json={"point": world["veghel"], "desk": "D" * 41}, headers=auth
    )
    assert long_desk.status_code == 422
    assert await QueueEntry.count() == 0


async def test_the_queue_api_needs_a_bearer_token(client, world):  # noqa: F811
    listed = await client.get(QUEUE, params={"point": world["veghel"]})
    assert (listed.status_code, listed.json()["code"]) == (401, "login_required")
