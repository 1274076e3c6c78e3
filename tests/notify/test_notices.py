"""What the migrant hears: confirmation, reminders, change, cancellation, STOP (issue 4)."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from booking.db.tables import Appointment, Message
from booking.domain.policy import Policy
from booking.notify import opt_out
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from tests import factories
from tests.web.test_api import VEGHEL_HOURS, booking, slots

ALL_DAY = ((range(7), "08:00", "21:00"),)


class Recorder:
    """An SMS sender that keeps what it was given."""

    name = "recorder"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, to: str, body: str, *, kind: str) -> str:
        self.sent.append((kind, body))
        return f"rec-{len(self.sent)}"

    async def close(self) -> None:
        return None


@pytest.fixture
async def veghel(db):
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS)
    topic = await factories.topic()
    await factories.staff(point, ["pl", "nl"], hours=VEGHEL_HOURS, name="Agnieszka")
    return {"point": point, "topic": topic}


async def confirmed_appointment(client, world, day: str, pick: int = 0, phone="+48 601 234 567"):
    start = (await slots(client, world, first=day, last=day))[pick]["start"]
    held = (await client.post("/api/appointments", json=booking(world, start, phone=phone))).json()
    code = await factories.sms_code(held["id"])
    await client.post(f"/api/appointments/{held['manage_token']}/verify", json={"code": code})
    return held


async def outbox_of(appointment_id: int) -> list[dict]:
    return await Message.select().where(Message.appointment == appointment_id).order_by(Message.id)


def local(instant: datetime) -> str:
    from booking.domain.opening_hours import zone

    return instant.astimezone(zone("Europe/Amsterdam")).strftime("%d %H:%M")


async def test_confirming_queues_a_confirmation_and_two_reminders_in_polish(client, veghel):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)  # Thursday 10:00
    messages = await outbox_of(held["id"])
    kinds = [(m["kind"], m["status"]) for m in messages]
    assert kinds == [
        ("code", "cancelled"),  # the code is used: an unsent one is withdrawn, sealed code too
        ("confirmation", "pending"),
        ("reminder", "pending"),
        ("reminder", "pending"),
    ]
    confirmation, day_before, two_hours = messages[1:]
    assert messages[0]["seed"] is None
    assert confirmation["body"].startswith(
        "Loket: wizyta czw. 3 gru, 10:00, Kennedylaan 21, Veghel."
    )
    assert confirmation["body"].endswith("⟨link⟩")  # put in at send time, never stored
    link = re.search(r"(http\S+/m/(\S+))$", await factories.as_sent(confirmation["id"]))
    assert (await client.get(f"/api/appointments/{link.group(2)}")).json()["id"] == held["id"]
    assert (local(day_before["due_at"]), local(two_hours["due_at"])) == ("02 10:00", "03 08:00")
    assert "Odpisz 1 = przyjde, 2 = odwolam" in day_before["body"]


async def test_an_early_appointment_moves_its_reminder_out_of_the_night(client, veghel):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=0)  # Thursday 09:00
    reminders = [m for m in await outbox_of(held["id"]) if m["kind"] == "reminder"]
    # Due 07:00: the nearest allowed time is 08:00, not 20:30 the evening before.
    assert [local(m["due_at"]) for m in reminders] == ["02 09:00", "03 08:00"]


async def test_moving_replans_the_reminders_and_tells_the_new_time(client, veghel):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    new_start = (await slots(client, veghel, first="2026-12-04", last="2026-12-04"))[8]["start"]
    await client.post(
        f"/api/appointments/{held['manage_token']}/reschedule", json={"start": new_start}
    )
    messages = await outbox_of(held["id"])
    assert [m["status"] for m in messages if m["kind"] == "reminder"] == [
        "cancelled",
        "cancelled",
        "pending",
        "pending",
    ]
    change = next(m for m in messages if m["kind"] == "change")
    assert "przeniesiona na pt. 4 gru, 11:00" in change["body"]
    assert {
        m["appointment_sequence"]
        for m in messages
        if m["status"] == "pending" and m["kind"] != "code"
    } == {1}


async def test_a_cancelled_appointment_gets_no_reminder_even_if_one_was_still_queued(
    client, veghel, clock, settings
):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    await client.post(f"/api/appointments/{held['manage_token']}/cancel")
    messages = await outbox_of(held["id"])
    assert [m["status"] for m in messages if m["kind"] == "reminder"] == ["cancelled", "cancelled"]
    cancellation = next(m for m in messages if m["kind"] == "cancellation")
    assert cancellation["body"].startswith("Loket: wizyta czw. 3 gru, 10:00 zostala odwolana.")
    assert cancellation["body"].endswith("Umow nowa wizyte: http://127.0.0.1:8000/pl/")
    # A worker that had already claimed the reminder must still not send it; the code and
    # the confirmation, never sent, are pointless now too.
    await Message.update({Message.status: Message.PENDING, Message.due_at: clock.now}).where(
        Message.kind == Message.REMINDER
    )
    recorder = Recorder()
    await Dispatcher(
        recorder, clock, Policy.from_settings(settings), mail=EmbeddedMailer()
    ).run_once()
    assert [kind for kind, _ in recorder.sent] == ["cancellation"]
    assert {m["status"] for m in await outbox_of(held["id"]) if m["kind"] == "reminder"} == {
        "skipped"
    }


async def test_stop_then_booking_still_sends_the_code_but_nothing_else(
    client, veghel, clock, settings
):
    policy = Policy.from_settings(settings)
    await opt_out.stop(policy, "+48601234567", clock.now)
    start = (await slots(client, veghel, first="2026-12-03", last="2026-12-03"))[4]["start"]
    held = (await client.post("/api/appointments", json=booking(veghel, start))).json()
    recorder = Recorder()
    await Dispatcher(recorder, clock, policy, mail=EmbeddedMailer()).run_once()
    code = re.search(r"\b(\d{6})\b", recorder.sent[0][1]).group(1)  # as the phone got it
    await client.post(f"/api/appointments/{held['manage_token']}/verify", json={"code": code})
    await Message.update({Message.due_at: clock.now}).where(Message.kind == Message.REMINDER)
    await Dispatcher(recorder, clock, policy, mail=EmbeddedMailer()).run_once()
    assert [kind for kind, _ in recorder.sent] == ["code"]
    skipped = [m for m in await outbox_of(held["id"]) if m["status"] == "skipped"]
    assert sorted(m["kind"] for m in skipped) == ["confirmation", "reminder", "reminder"]
    assert {m["last_error"] for m in skipped} == {"the number opted out (STOP)"}


async def test_a_reminder_delayed_into_the_night_waits_for_the_morning(
    client, veghel, clock, settings
):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    night = datetime(2026, 12, 2, 22, 30, tzinfo=UTC)  # 23:30 local
    await Message.update({Message.due_at: night - timedelta(hours=1)}).where(
        Message.kind == Message.REMINDER
    )
    await Message.update({Message.status: Message.SENT}).where(Message.kind != Message.REMINDER)
    clock.now = night
    recorder = Recorder()
    await Dispatcher(
        recorder, clock, Policy.from_settings(settings), mail=EmbeddedMailer()
    ).run_once()
    assert recorder.sent == []
    waiting = [m for m in await outbox_of(held["id"]) if m["kind"] == "reminder"]
    assert {(m["status"], local(m["due_at"]), m["attempts"]) for m in waiting} == {
        ("pending", "03 08:00", 0)
    }
    assert (await Appointment.select(Appointment.status).first())["status"] == "confirmed"
