"""README's text-message promises that had no test (issue 11): change and cancellation
notices carry the manage link, and a reminder for a time that has since moved is not sent
even when a worker finds it due ("appointment unchanged" at send time)."""

import re

from booking.db.tables import Message
from booking.domain.policy import Policy
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from tests import factories
from tests.notify import test_notices
from tests.notify.test_notices import Recorder, confirmed_appointment, outbox_of
from tests.web.test_api import slots

veghel = test_notices.veghel  # the fixture
MANAGE_LINK = re.compile(r"(https?://\S+/m/(\S+))$")


async def link_opens(client, body: str) -> int:
    link = MANAGE_LINK.search(body)
    assert link, body
    response = await client.get(f"/api/appointments/{link.group(2)}")
    assert response.status_code == 200, body
    return response.json()["id"]


async def test_a_change_carries_the_manage_link_and_a_cancellation_the_start_page(
    client, veghel, settings
):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    new_start = (await slots(client, veghel, first="2026-12-04", last="2026-12-04"))[8]["start"]
    token = held["manage_token"]
    await client.post(f"/api/appointments/{token}/reschedule", json={"start": new_start})
    await client.post(f"/api/appointments/{token}/cancel")
    bodies = {m["kind"]: await factories.as_sent(m["id"]) for m in await outbox_of(held["id"])}
    assert await link_opens(client, bodies["change"]) == held["id"]
    assert "/m/" not in bodies["cancellation"]
    start_page = f"{settings.public_base_url}/pl/"
    assert bodies["cancellation"].endswith(f": {start_page}")
    assert (await client.get("/pl/")).status_code == 200


async def test_a_reminder_for_a_time_that_moved_is_not_sent(client, veghel, clock, settings):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    first_reminders = [m["id"] for m in await outbox_of(held["id"]) if m["kind"] == "reminder"]
    new_start = (await slots(client, veghel, first="2026-12-04", last="2026-12-04"))[8]["start"]
    await client.post(
        f"/api/appointments/{held['manage_token']}/reschedule", json={"start": new_start}
    )
    # As if a worker had claimed the old reminders just before the move and let them go:
    # due now and pending again, they still name the old time.
    await Message.update({Message.status: Message.PENDING, Message.due_at: clock.now}).where(
        Message.id.is_in(first_reminders)
    )
    recorder = Recorder()
    dispatcher = Dispatcher(recorder, clock, Policy.from_settings(settings), mail=EmbeddedMailer())
    while await dispatcher.run_once():
        pass
    assert "reminder" not in [kind for kind, _ in recorder.sent]
    assert "change" in [kind for kind, _ in recorder.sent]
    old = await Message.select(Message.status).where(Message.id.is_in(first_reminders))
    assert {m["status"] for m in old} == {"skipped"}
