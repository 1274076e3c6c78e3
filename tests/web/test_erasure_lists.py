"""The waiting list and the walk-in queue in a person's data: subject access lists them, and
erasing on request ends them (a live offer withdrawn, the time it held freed for the next
person, today's walk-in number gone) before the number itself goes."""

import json

from booking.db.tables import (
    Allocation,
    Appointment,
    Message,
    Point,
    QueueEntry,
    WaitingEntry,
    WaitlistOffer,
)
from booking.services import changes, erasure
from booking.services.auth import accounts
from booking.services.point_setup import Catalog, current_revision
from booking.services.queue import entries
from booking.services.waitlist import offers
from tests.conftest import NOW
from tests.staff_login import PASSWORD, log_in
from tests.waitlist.world import evening_point, fill, free_starts, offers_sent, on_the_list, policy
from tests.web.test_erasure import contacts_of
from tests.web.test_subject_access import ask

NEXT = "+40721000009"


async def test_subject_access_lists_the_lists_and_erasure_ends_them(client):
    point, topic = await evening_point()
    booked = await fill(point, topic, NOW)
    marta = "+48601000000"  # the number of the first appointment fill() books
    await on_the_list(point, topic, marta, "pl", NOW)
    await on_the_list(point, topic, NEXT, "ro", NOW)
    freed = booked[1]
    await changes.cancel(Catalog(), policy(), freed.manage_token, now=NOW)
    assert await offers.offer_round(Catalog(), policy(), now=NOW) == 1
    [offer] = await offers_sent()
    assert offer["phone"] == marta
    info = (await Catalog().point_infos(await current_revision()))[point]
    await entries.join(
        Catalog(), policy(), info, topic_id=topic, language="pl", phone=marta, now=NOW
    )

    [region] = {r["region"] for r in await Point.select(Point.region)}
    await accounts.create_account(
        email="monique@example.nl", name="Monique", password=PASSWORD, role="coordinator",
        region_id=region, language="en",
    )  # fmt: skip
    await log_in(client, "monique@example.nl")
    found = json.loads((await ask(client, marta, format="json")).text)
    [waiting] = found["waiting_list"]
    assert (waiting["status"], waiting["language"], waiting["windows"]) == (
        "waiting", "pl", "mo-fr 18:00-24:00",
    )  # fmt: skip
    assert [o["status"] for o in waiting["offers"]] == ["live"]
    assert waiting["offers"][0]["starts_at"] == freed.starts_at.astimezone(info.tz).isoformat()
    [queued] = found["queue"]
    assert (queued["number"], queued["status"], queued["day"]) == (1, "waiting", "2026-12-01")
    page = await ask(client, marta)
    assert "Waiting list" in page.text and "Walk-in queue" in page.text
    assert "mo-fr 18:00-24:00" in page.text

    await erasure.erase_on_request(Catalog(), policy(), booked[0].manage_token, now=NOW)
    statuses = {r["contact"]: r["status"] for r in await WaitingEntry.select()}
    assert sorted(statuses.values()) == ["left", "waiting"]
    [live] = await WaitlistOffer.select(WaitlistOffer.status, WaitlistOffer.appointment)
    assert live["status"] == WaitlistOffer.WITHDRAWN
    [held] = await Appointment.select(Appointment.status).where(
        Appointment.id == live["appointment"]
    )
    assert held["status"] == Appointment.CANCELLED
    assert not await Allocation.exists().where(
        (Allocation.appointment == live["appointment"]) & (Allocation.live == True)
    )
    assert freed.starts_at in await free_starts(point, topic, NOW)
    [walk_in] = await QueueEntry.select(QueueEntry.status)
    assert walk_in["status"] == QueueEntry.GONE
    # The freed time goes down the line to the next person.
    assert await offers.offer_round(Catalog(), policy(), now=NOW) == 1
    assert [s["phone"] for s in await offers_sent()][-1] == NEXT
    # The number goes once the cancellation's text is settled.
    await Message.update({Message.status: Message.SENT}).where(Message.status == Message.PENDING)
    await erasure.finish_requests(NOW)
    assert await contacts_of(marta) == []
