"""Offer texts at send time: the link is put in only then, STOP is honoured (and takes the
number off the list), and a text whose hold has ended is not sent."""

from datetime import timedelta

from booking.db.tables import Message, WaitingEntry
from booking.notify import opt_out
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from booking.services import changes
from booking.services.point_setup import Catalog
from booking.services.waitlist import offers
from tests.conftest import NOW, Clock
from tests.notify.test_notices import Recorder
from tests.waitlist.world import evening_point, fill, offers_sent, on_the_list, policy


async def offered(now):
    point, topic = await evening_point()
    booked = await fill(point, topic, NOW)
    await on_the_list(point, topic, "+48601000001", "pl", NOW)
    await changes.cancel(Catalog(), policy(), booked[1].manage_token, now=now)
    assert await offers.offer_round(Catalog(), policy(), now=now) == 1
    # Only the offer is left to send: the bookings' and the code's texts went out before.
    await Message.update({Message.status: Message.SENT}).where(Message.kind != Message.OFFER)


async def test_the_offer_goes_out_with_its_link_and_not_after_the_hold(db):
    now = NOW + timedelta(minutes=1)
    await offered(now)
    [sent] = await offers_sent()
    assert "⟨link⟩" in sent["body"] and sent["token"] not in sent["body"]
    recorder = Recorder()
    await Dispatcher(recorder, Clock(now), policy(), mail=EmbeddedMailer()).run_once()
    assert recorder.sent == [("offer", sent["text"])]
    assert f"/o/{sent['token']}" in recorder.sent[0][1]

    # A copy still waiting once the hold ran out is never sent.
    later = now + policy().offer
    await Message.update({Message.status: Message.PENDING, Message.due_at: later}).where(
        Message.kind == Message.OFFER
    )
    await offers.close_ended(later)
    await Dispatcher(Recorder(), Clock(later), policy(), mail=EmbeddedMailer()).run_once()
    [row] = await Message.select(Message.status).where(Message.kind == Message.OFFER)
    assert row["status"] == Message.SKIPPED


async def test_stop_keeps_the_offer_unsent_and_ends_the_entry(db):
    now = NOW + timedelta(minutes=1)
    await offered(now)
    await opt_out.stop(policy(), "+48601000001", now)
    recorder = Recorder()
    await Dispatcher(recorder, Clock(now), policy(), mail=EmbeddedMailer()).run_once()
    assert recorder.sent == []
    await offers.offer_round(Catalog(), policy(), now=now + policy().offer)
    assert await WaitingEntry.select(WaitingEntry.status) == [{"status": "left"}]
