"""Issue 17's scenario: the evenings are full, three people wait, two appointments are
cancelled; the first two in line get offers in their language, one books from the link,
the other lets it pass and the time goes to the third."""

from datetime import timedelta

from booking.db.tables import Allocation, Appointment, Message, WaitingEntry, WaitlistOffer
from booking.services import changes
from booking.services.point_setup import Catalog
from booking.services.waitlist import offers
from tests.conftest import NOW
from tests.waitlist.world import (
    evening_point,
    fill,
    free_starts,
    offers_sent,
    on_the_list,
    policy,
)

PEOPLE = (("+48601000001", "pl"), ("+40721000002", "ro"), ("+380501000003", "uk"))


async def test_freed_evenings_go_down_the_line(db):
    point, topic = await evening_point()
    booked = await fill(point, topic, NOW)
    assert len(booked) >= 8 and await free_starts(point, topic, NOW) == []
    tokens = [
        await on_the_list(point, topic, phone, language, NOW + timedelta(minutes=n))
        for n, (phone, language) in enumerate(PEOPLE)
    ]
    now = NOW + timedelta(minutes=5)
    # Nothing is free: nobody is offered anything.
    assert await offers.offer_round(Catalog(), policy(), now=now) == 0

    first, second = booked[2], booked[4]
    for appointment in (second, first):
        await changes.cancel(Catalog(), policy(), appointment.manage_token, now=now)
    assert await offers.offer_round(Catalog(), policy(), now=now) == 2

    sent = await offers_sent()
    assert [(s["phone"], s["language"]) for s in sent] == list(PEOPLE[:2])
    assert [s["starts_at"] for s in sent] == [first.starts_at, second.starts_at]
    assert sent[0]["text"].startswith("Loket: zwolnil sie termin:"), sent[0]["text"]
    assert sent[1]["text"].startswith("Loket: s-a eliberat o ora:"), sent[1]["text"]
    assert f"/o/{sent[0]['token']}" in sent[0]["text"]
    # Held for them: the public search does not show the freed times.
    assert await free_starts(point, topic, now) == []
    # A second worker's round in the same minute offers nothing more.
    assert await offers.offer_round(Catalog(), policy(), now=now) == 0

    # The first books with one tap; the confirmation goes out in Polish.
    view = await offers.book(Catalog(), policy(), sent[0]["token"], now=now + timedelta(minutes=3))
    assert view.status == Appointment.CONFIRMED and view.starts_at == first.starts_at
    confirmation = await Message.select(Message.language).where(
        (Message.kind == Message.CONFIRMATION) & (Message.appointment == view.id)
    )
    assert confirmation == [{"language": "pl"}]

    # The second lets the 15 minutes pass; the next round offers the time to the third.
    later = now + policy().offer
    assert await offers.offer_round(Catalog(), policy(), now=later) == 1
    sent = await offers_sent()
    assert len(sent) == 3
    assert (sent[2]["phone"], sent[2]["language"]) == PEOPLE[2]
    assert sent[2]["starts_at"] == second.starts_at
    assert sent[2]["text"].startswith("Loket: "), sent[2]["text"]

    statuses = {
        r["entry"]: r["status"]
        for r in await WaitlistOffer.select(WaitlistOffer.entry, WaitlistOffer.status)
    }
    entries = await WaitingEntry.select(WaitingEntry.id, WaitingEntry.status).order_by(
        WaitingEntry.joined_at
    )
    assert [e["status"] for e in entries] == ["booked", "waiting", "waiting"]
    assert [statuses[e["id"]] for e in entries] == ["booked", "passed", "live"]
    # One live hold per freed time, never two.
    live = await Allocation.count().where(
        (Allocation.live == True) & (Allocation.starts_at == second.starts_at)
    )
    assert live == 1
    assert tokens[0] != tokens[1]
