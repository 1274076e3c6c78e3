"""The retention job (issue 7): personal data goes N days after the appointment, the counts stay."""

from datetime import UTC, datetime, timedelta

import pytest

from booking.db.tables import (
    Allocation,
    Appointment,
    CallbackRequest,
    Handover,
    Message,
    MigrantContact,
)
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from booking.notify.sms import EmbeddedSender
from booking.services import agenda, appointments, changes, reports, retention
from booking.services.appointments import BookingRequest
from booking.services.auth import accounts
from booking.services.handovers import bookings as handovers
from booking.services.handovers.plans import HandoverRequest
from booking.services.point_setup import Catalog
from booking.services.verification import expire_holds, verify
from booking.settings import Settings, SettingsError
from tests import factories
from tests.conftest import NOW
from tests.staff_login import PASSWORD
from tests.web.test_invite_pages import NOTE, POLICY, TUE_18, book, handover_world

#: 100 days on: everything booked at NOW ended more than 90 days ago.
LATER = NOW + timedelta(days=100)
#: Tuesday 16 March 2027, 18:00 in Veghel: a handover the agency takes, after LATER.
LATER_HANDOVER = datetime(2027, 3, 16, 17, 0, tzinfo=UTC)
KASIA = "+48601234567"


def local(day: int, hour: int) -> datetime:
    """A time in December 2026 in Veghel (UTC+1)."""
    return datetime(2026, 12, day, hour - 1, tzinfo=UTC)


async def dispatch(at: datetime) -> None:
    sender = Dispatcher(EmbeddedSender(), lambda: at, POLICY, mail=EmbeddedMailer())
    while await sender.run_once():
        pass


async def rows(table, *columns) -> list[tuple]:
    """Every row of ``table`` as tuples of ``columns``, by id: what must not change."""
    found = await table.select(table.id, *columns).order_by(table.id)
    return [tuple(r.values()) for r in found]


async def anonymous_facts() -> dict[str, list[tuple]]:
    """What the reports count: appointments, allocations, handovers, message and call-back
    statuses. Retention must leave all of it exactly as it was."""
    return {
        "appointments": await rows(
            Appointment, Appointment.point, Appointment.topic, Appointment.language,
            Appointment.channel, Appointment.status, Appointment.starts_at,
            Appointment.ends_at, Appointment.created_at, Appointment.sequence,
        ),
        "allocations": await rows(
            Allocation, Allocation.appointment, Allocation.resource, Allocation.role,
            Allocation.staff, Allocation.agency, Allocation.starts_at, Allocation.ends_at,
            Allocation.live,
        ),
        "handovers": await rows(
            Handover, Handover.appointment, Handover.agency, Handover.place,
            Handover.interpreter_language, Handover.interpreter_mode, Handover.outcome,
            Handover.outcome_at,
        ),
        "messages": await rows(
            Message, Message.appointment, Message.channel, Message.kind, Message.status,
            Message.due_at, Message.created_at, Message.sent_at, Message.email,
        ),
        "callbacks": await rows(
            CallbackRequest, CallbackRequest.point, CallbackRequest.language,
            CallbackRequest.status, CallbackRequest.created_at, CallbackRequest.done_at,
        ),
    }  # fmt: skip


async def everything() -> dict[str, list[tuple]]:
    """Every column of every table retention touches."""
    tables = (Appointment, Message, MigrantContact, Handover, CallbackRequest, Allocation)
    return {t._meta.tablename: await rows(t, *t._meta.columns) for t in tables}


async def pilot() -> dict[str, int]:
    """Old data of every kind at NOW, dispatched; then, at LATER, newer data."""
    world = await handover_world()
    catalog = Catalog()
    tilburg = await factories.point(world["region"], slug="tilburg")
    housing = await factories.topic("housing")
    await factories.staff(tilburg, ["ro", "nl"], name="Ioana")
    ids: dict[str, int] = {}

    online = await appointments.book(
        catalog, POLICY,
        BookingRequest(world["veghel"], housing, "pl", local(2, 10), KASIA, first_name="Kasia"),
        now=NOW,
    )  # fmt: skip
    await verify(catalog, POLICY, online.manage_token, await factories.sms_code(online.id), now=NOW)
    ids["online"] = online.id
    held = await appointments.book(
        catalog, POLICY,
        BookingRequest(tilburg, world["topic"], "ro", local(2, 11), "+40722000111"), now=NOW,
    )  # fmt: skip
    ids["held"] = held.id
    by_phone = await appointments.book_confirmed(
        catalog, POLICY,
        BookingRequest(world["veghel"], housing, "nl", local(3, 11), "06 12345678",
                       channel=Appointment.PHONE),
        now=NOW,
    )  # fmt: skip
    await changes.cancel(catalog, POLICY, by_phone.id, now=NOW)
    ids["cancelled"] = by_phone.id
    walk_in = await appointments.book_confirmed(
        catalog, POLICY,
        BookingRequest(tilburg, world["topic"], "ro", NOW, None, channel=Appointment.WALK_IN),
        now=NOW,
    )  # fmt: skip
    await changes.set_status(walk_in.id, Appointment.ARRIVED, now=NOW)
    ids["walk_in"] = walk_in.id
    ids["handover"] = await book(world)
    await handovers.record_outcome(ids["handover"], "took_place", now=TUE_18 + timedelta(hours=1))
    account = await accounts.create_account(
        email="tel@example.nl", name="Tel", password=PASSWORD, role="coordinator",
        region_id=world["region"],
    )  # fmt: skip
    ids["done_callback"] = await agenda.request_callback(world["veghel"], KASIA, "pl", NOW)
    await agenda.close_callback(ids["done_callback"], account, NOW + timedelta(hours=1))
    ids["open_callback"] = await agenda.request_callback(
        world["veghel"], "+359888123456", "bg", NOW
    )
    await expire_holds(NOW + timedelta(hours=1))
    await dispatch(NOW + timedelta(days=30))

    ids["follow_up"] = await handovers.book(
        catalog, POLICY,
        HandoverRequest(
            point_id=world["veghel"], agency_id=world["agency"], topic_id=world["topic"],
            place="agency", duration=timedelta(minutes=60), consultant_id=world["agnieszka"],
            note="Second visit about the BSN.", origin_id=ids["online"],
        ),
        LATER_HANDOVER, now=LATER,
    )  # fmt: skip
    recent = await appointments.book(
        catalog, POLICY,
        BookingRequest(world["veghel"], housing, "pl", LATER + timedelta(days=1), KASIA),
        now=LATER,
    )  # fmt: skip
    ids["recent"] = recent.id
    await dispatch(LATER)
    return ids


async def contact_of(appointment_id: int) -> dict:
    row = await Appointment.select(Appointment.contact).where(Appointment.id == appointment_id)
    return await MigrantContact.select().where(MigrantContact.id == row[0]["contact"]).first()


async def callback_contact(callback_id: int) -> int | None:
    row = await CallbackRequest.select().where(CallbackRequest.id == callback_id).first()
    return row["contact"]


async def test_old_personal_data_goes_and_every_count_stays(db):
    ids = await pilot()
    old = [ids[k] for k in ("online", "held", "cancelled", "walk_in", "handover")]
    recent = [ids["follow_up"], ids["recent"]]
    old_contacts = {
        k: (await Appointment.select(Appointment.contact).where(Appointment.id == ids[k]))[0][
            "contact"
        ]
        for k in ("online", "held", "cancelled", "handover")
    }
    done_callback_contact = await callback_contact(ids["done_callback"])
    open_callback_contact = await callback_contact(ids["open_callback"])
    kasia = await contact_of(ids["online"])
    assert kasia["first_name"] == "Kasia" and kasia["phone"] == KASIA
    facts = await anonymous_facts()
    period = reports.Period(NOW.date() - timedelta(days=30), LATER.date())
    report = await reports.build(Catalog(), None, period)
    assert report.by_channel.total.count > 0
    recent_rows = {
        "appointments": await Appointment.select().where(Appointment.id.is_in(recent)),
        "messages": await Message.select().where(Message.appointment.is_in(recent)),
        "contacts": [await contact_of(i) for i in recent],
    }
    assert all(recent_rows.values())
    [stored] = await Handover.select(Handover.note).where(Handover.appointment == ids["handover"])
    assert stored["note"] == NOTE  # so that an empty note afterwards means it was erased

    erased = await retention.run(POLICY, LATER, batch=2)

    assert erased.appointments == len(old)
    assert await anonymous_facts() == facts
    assert await reports.build(Catalog(), None, period) == report  # every figure, as it was
    for row in await Appointment.select().where(Appointment.id.is_in(old)):
        assert row["erased_at"] == LATER
        assert (row["contact"], row["manage_token_hash"], row["manage_salt"]) == (None,) * 3
        assert row["code_hash"] is None
    old_messages = await Message.select().where(Message.appointment.is_in(old))
    assert len(old_messages) > 8
    for message in old_messages:
        assert (message["body"], message["provider_id"], message["contact"]) == ("", None, None)
    [note] = await Handover.select(Handover.note).where(Handover.appointment == ids["handover"])
    assert note["note"] == ""
    for key in ("held", "cancelled", "handover"):
        contact = await MigrantContact.select().where(MigrantContact.id == old_contacts[key])
        assert (contact[0]["phone"], contact[0]["first_name"]) == (None, None), key
    assert await callback_contact(ids["done_callback"]) is None
    gone = await MigrantContact.select().where(MigrantContact.id == done_callback_contact)
    assert gone[0]["phone"] is None
    # Newer data keeps the contact: the follow-up handover shares Kasia's first contact, and
    # an open call-back still needs its number.
    assert await contact_of(ids["follow_up"]) == kasia
    assert await callback_contact(ids["open_callback"]) == open_callback_contact
    still = await MigrantContact.select().where(MigrantContact.id == open_callback_contact)
    assert still[0]["phone"] == "+359888123456"
    assert recent_rows == {
        "appointments": await Appointment.select().where(Appointment.id.is_in(recent)),
        "messages": await Message.select().where(Message.appointment.is_in(recent)),
        "contacts": [await contact_of(i) for i in recent],
    }

    before = await everything()
    assert await retention.run(POLICY, LATER) == retention.Erased()
    assert await everything() == before


async def test_a_message_being_sent_keeps_its_text_and_number_until_it_is_settled(db):
    world = await handover_world()
    old = await book(world)
    queued = await Message.select().where(Message.appointment == old).order_by(Message.id)
    sms = next(m for m in queued if m["channel"] == Message.SMS)
    await Message.update({Message.status: Message.SENDING}).where(Message.id == sms["id"])
    contact = (await Appointment.select(Appointment.contact).where(Appointment.id == old))[0]

    assert await retention.run(POLICY, LATER) == retention.Erased()

    waiting = await Message.select().where(Message.id == sms["id"]).first()
    assert waiting["body"] == sms["body"] and waiting["contact"] == contact["contact"]
    phone = await MigrantContact.select().where(MigrantContact.id == contact["contact"]).first()
    assert phone["phone"] == "+40712345678"
    others = await Message.select().where((Message.appointment == old) & (Message.id != sms["id"]))
    assert {m["status"] for m in others} <= {Message.CANCELLED, Message.SENT}
    assert all(m["body"] == "" for m in others)  # queued ones are withdrawn and erased

    await Message.update({Message.status: Message.SENT}).where(Message.id == sms["id"])
    assert await retention.run(POLICY, LATER) == retention.Erased(appointments=1, contacts=1)
    assert (await Message.select().where(Message.id == sms["id"]).first())["body"] == ""
    erased = await MigrantContact.select().where(MigrantContact.id == contact["contact"]).first()
    assert erased["phone"] is None


async def test_nothing_is_due_before_the_retention_period(db):
    world = await handover_world()
    appointment_id = await book(world)
    before = await everything()
    assert await retention.run(POLICY, TUE_18 + timedelta(days=89)) == retention.Erased()
    assert await everything() == before
    kept = await Appointment.select().where(Appointment.id == appointment_id).first()
    assert kept["erased_at"] is None and kept["contact"] is not None


@pytest.mark.parametrize(("raw", "days"), [(None, 90), ("30", 30), ("1", 1)])
def test_the_retention_period_is_a_setting(raw, days):
    env = {"LOKET_RETENTION_DAYS": raw} if raw else {}
    assert Settings.from_env(env).retention_days == days


@pytest.mark.parametrize("raw", ["0", "-5", "ninety"])
def test_a_bad_retention_period_stops_start_up(raw):
    with pytest.raises(SettingsError, match="LOKET_RETENTION_DAYS"):
        Settings.from_env({"LOKET_RETENTION_DAYS": raw})


def test_batches_and_their_pause_are_settings():
    assert (Settings.from_env({}).retention_batch, Settings.from_env({}).retention_pause_ms) == (
        5000,
        50,
    )
    chosen = Settings.from_env({"LOKET_RETENTION_BATCH": "300", "LOKET_RETENTION_PAUSE_MS": "0"})
    assert (chosen.retention_batch, chosen.retention_pause_ms) == (300, 0)
    with pytest.raises(SettingsError, match="LOKET_RETENTION_BATCH"):
        Settings.from_env({"LOKET_RETENTION_BATCH": "0"})


def test_batches_shrink_when_slow_and_grow_when_quick_within_their_bounds():
    pace = retention.Pace(5000, timed=True)
    assert pace.size == 1000
    sizes = []
    for seconds in (0.01, 0.01, 0.01, 0.01, 0.5, 0.5, 0.07, 0.5, 0.5, 0.5, 0.5, 0.5):
        pace.took(seconds)
        sizes.append(pace.size)
    assert sizes == [2000, 4000, 5000, 5000, 2500, 1250, 1250, 625, 312, 156, 100, 100]
    small = retention.Pace(70, timed=True)  # a batch set below the floor is never changed
    small.took(0.5)
    small.took(0.01)
    assert small.size == 70
    untimed = retention.Pace(5000, timed=False)  # PostgreSQL: the set size throughout
    untimed.took(0.5)
    assert untimed.size == 5000
