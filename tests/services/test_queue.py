"""The walk-in queue against the real database: numbers, estimates, texts, calling."""

from datetime import timedelta

import pytest

from booking.db.tables import Appointment, KioskLink, Message, QueueEntry
from booking.domain.errors import AlreadyCalled, KioskLinkInvalid, QueueEmpty, SlotTaken
from booking.domain.policy import Policy
from booking.i18n import UI_LANGUAGES
from booking.notify.gsm import segments
from booking.notify.texts import QUEUE_NEXT, render
from booking.reports.figures import waiting_times
from booking.services.point_setup import Catalog, current_revision
from booking.services.queue import entries, kiosk, turns
from booking.services.report_facts import read_facts
from booking.settings import get_settings
from tests import factories
from tests.conftest import NOW

PL_PHONE, RO_PHONE = "+48601234567", "+40712345678"


@pytest.fixture
async def world(db):
    region = await factories.region()
    point_id = await factories.point(region)
    topic = await factories.topic(minutes=30)
    await factories.staff(point_id, ["pl", "nl"], name="Agnieszka")
    catalog, policy = Catalog(), Policy.from_settings(get_settings())
    point = (await catalog.point_infos(await current_revision()))[point_id]
    return catalog, policy, point, topic


async def test_numbers_count_up_and_the_estimate_follows_the_queue(world):
    catalog, policy, point, topic = world
    first = await entries.join(
        catalog, policy, point, topic_id=topic, language="pl", phone=PL_PHONE, now=NOW
    )
    second = await entries.join(
        catalog, policy, point, topic_id=topic, language="pl", phone=None, now=NOW
    )
    assert (first.number, first.wait) == (1, timedelta(0))
    # One Polish-speaking consultant: 30 minutes for the first, plus the buffer.
    assert second.number == 2
    assert second.wait == timedelta(minutes=30) + policy.rules.buffer
    # Nobody speaks Romanian and there is no interpreter: no estimate, still a number.
    third = await entries.join(
        catalog, policy, point, topic_id=topic, language="ro", phone=RO_PHONE, now=NOW
    )
    assert (third.number, third.wait) == (3, None)
    # The first in line was texted at once, in Polish, and only once.
    sms = await Message.select().where(Message.kind == Message.QUEUE_NEXT)
    assert [(m["language"], m["contact"] is not None) for m in sms] == [("pl", True)]
    assert "1" in sms[0]["body"] and "Loket" in sms[0]["body"]


async def test_calling_starts_a_walk_in_with_its_waiting_time_and_texts_the_next(world):
    catalog, policy, point, topic = world
    for language, phone in (("pl", None), ("pl", PL_PHONE)):
        await entries.join(
            catalog, policy, point, topic_id=topic, language=language, phone=phone, now=NOW
        )
    later = NOW + timedelta(minutes=12)
    called = await turns.call(catalog, policy, point, entry_id=None, desk="Desk 2", now=later)
    assert (called.number, called.waited_minutes) == (1, 12)
    [row] = await Appointment.select().where(Appointment.id == called.appointment_id)
    assert (row["channel"], row["waited_minutes"], row["starts_at"]) == ("walk_in", 12, later)
    # The second is next now and hears so; the first left no number.
    sms = await Message.select(Message.language).where(Message.kind == Message.QUEUE_NEXT)
    assert [m["language"] for m in sms] == ["pl"]
    shown, still = await turns.board(point, later)
    assert [(s.number, s.desk) for s in shown] == [(1, "Desk 2")] and still == 1
    with pytest.raises(AlreadyCalled):
        entry = await QueueEntry.select(QueueEntry.id).where(QueueEntry.number == 1)
        await turns.call(catalog, policy, point, entry_id=entry[0]["id"], desk="", now=later)
    # The only consultant is busy with number 1: number 2 goes back to waiting, unbooked.
    with pytest.raises(SlotTaken):
        await turns.call(catalog, policy, point, entry_id=None, desk="Desk 2", now=later)
    waiting = await entries.waiting(point, later)
    assert [w.number for w in waiting] == [2]
    assert await Appointment.count() == 1


async def test_an_empty_queue_has_nobody_to_call(world):
    catalog, policy, point, _ = world
    with pytest.raises(QueueEmpty):
        await turns.call(catalog, policy, point, entry_id=None, desk="", now=NOW)


async def test_kiosk_tokens_are_stored_hashed_and_revocable(world):
    _, _, point, _ = world
    token = await kiosk.create(point.id, None, NOW)
    assert len(token) >= 40
    [row] = await KioskLink.select()
    assert token not in str(row.values()) and len(row["token_hash"]) == 64
    assert await kiosk.point_of(token) == point.id
    with pytest.raises(KioskLinkInvalid):
        await kiosk.point_of(token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert await kiosk.revoke(row["id"], point.id, NOW)
    with pytest.raises(KioskLinkInvalid):
        await kiosk.point_of(token)


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_the_you_are_next_text_fits_two_sms_parts(language):
    text = render(QUEUE_NEXT, language, number=999)
    assert "999" in text and segments(text)[1] <= 2


async def test_reports_count_queue_walk_ins_by_waiting_time_with_small_counts_hidden(world):
    catalog, policy, point, topic = world
    await entries.join(catalog, policy, point, topic_id=topic, language="pl", phone=None, now=NOW)
    await turns.call(
        catalog, policy, point, entry_id=None, desk="", now=NOW + timedelta(minutes=12)
    )
    day = NOW.date()
    facts = await read_facts([point.id], day, day)
    assert [(f.waited_minutes, f.count) for f in facts.waits] == [(12, 1)]
    table = waiting_times(facts.waits)
    assert dict(table.shown())["10-19 min"] == "<5" and table.total.shown == "<5"
    assert dict(table.shown())["0-9 min"] == "0"


async def test_the_number_left_in_the_queue_goes_with_the_appointment(world):
    catalog, policy, point, topic = world
    await entries.join(
        catalog, policy, point, topic_id=topic, language="pl", phone=PL_PHONE, now=NOW
    )
    called = await turns.call(catalog, policy, point, entry_id=None, desk="", now=NOW)
    [row] = await Appointment.select(Appointment.contact.phone.as_alias("phone")).where(
        Appointment.id == called.appointment_id
    )
    assert row["phone"] == PL_PHONE
