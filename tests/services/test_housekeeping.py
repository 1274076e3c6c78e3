"""README: the worker ends expired holds, erases personal data after the retention period,
and finishes erasures asked for once their last text is sent (issue 11). The worker's
own housekeeping loop runs as in production, on the real database; the test waits for what
it must do and then stops it."""

import asyncio
from dataclasses import replace
from datetime import timedelta

from booking import worker as worker_module
from booking.db.tables import Appointment, Message, MigrantContact, StaffSession
from booking.domain.policy import Policy
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from booking.notify.sms import EmbeddedSender
from booking.services import erasure
from booking.services.auth import accounts, sessions
from booking.services.point_setup import Catalog
from booking.worker import Worker
from tests import factories
from tests.conftest import NOW
from tests.notify.test_workers import until
from tests.old_data import old_place, seed_old_year
from tests.web import test_verification
from tests.web.test_verification import hold

veghel = test_verification.veghel  # the fixture


async def housekeeping_until(settings, at, done) -> None:
    """Runs the worker's housekeeping with its clock at ``at`` until ``done()`` holds."""
    task = asyncio.create_task(Worker(settings, lambda: at).housekeeping())
    try:
        for _ in range(400):
            if await done():
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the worker did not do it")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def status_of(appointment_id: int) -> str:
    rows = await Appointment.select(Appointment.status).where(Appointment.id == appointment_id)
    return rows[0]["status"]


async def test_the_worker_ends_holds_whose_code_never_came(client, veghel, settings, caplog):
    held = await hold(client, veghel)
    confirmed = await hold(client, veghel, phone="+40 721 234 567")
    code = await factories.sms_code(confirmed["id"])
    await client.post(f"/api/appointments/{confirmed['manage_token']}/verify", json={"code": code})
    later = NOW + timedelta(minutes=settings.hold_minutes + 1)

    async def ended() -> bool:
        return await status_of(held["id"]) != "held"

    with caplog.at_level("INFO", logger="booking.worker"):
        await housekeeping_until(settings, later, ended)
    assert await status_of(confirmed["id"]) == "confirmed"
    assert "ended 1 expired holds" in caplog.text


async def test_the_worker_erases_personal_data_after_the_retention_period(client, veghel, settings):
    booked = await hold(client, veghel)
    code = await factories.sms_code(booked["id"])
    await client.post(f"/api/appointments/{booked['manage_token']}/verify", json={"code": code})
    later = NOW + timedelta(days=settings.retention_days + 2)

    async def erased() -> bool:
        rows = await Appointment.select(Appointment.erased_at).where(Appointment.id == booked["id"])
        return rows[0]["erased_at"] is not None

    await housekeeping_until(settings, later, erased)
    contacts = await MigrantContact.select(MigrantContact.phone, MigrantContact.first_name)
    assert contacts == [{"phone": None, "first_name": None}]
    row = await Appointment.select(Appointment.contact, Appointment.status).first()
    assert (row["contact"], row["status"]) == (None, "confirmed")  # the count stays


async def test_the_worker_finishes_an_erasure_once_its_last_text_is_sent(client, veghel, settings):
    booked = await hold(client, veghel)
    code = await factories.sms_code(booked["id"])
    await client.post(f"/api/appointments/{booked['manage_token']}/verify", json={"code": code})
    policy = Policy.from_settings(settings)
    await erasure.erase_on_request(Catalog(), policy, booked["manage_token"], now=NOW)
    [kept] = await MigrantContact.select(MigrantContact.phone)
    assert kept["phone"] == "+48601234567"  # the cancellation text still has to go
    sender = Dispatcher(EmbeddedSender(), lambda: NOW, policy, mail=EmbeddedMailer())
    while await sender.run_once():
        pass

    async def number_gone() -> bool:
        [contact] = await MigrantContact.select(MigrantContact.phone)
        return contact["phone"] is None

    await housekeeping_until(settings, NOW + timedelta(minutes=1), number_gone)
    sent = await Message.select(Message.kind, Message.status).where(
        Message.kind == Message.CANCELLATION
    )
    assert sent == [{"kind": "cancellation", "status": "sent"}]


async def test_holds_end_while_a_long_retention_run_goes_on(
    client, veghel, settings, clock, monkeypatch
):
    """The first retention run over old data may take minutes: holds still end meanwhile."""
    held = await hold(client, veghel)
    old_point, old_topic = await old_place()
    old = NOW - timedelta(days=settings.retention_days + 10)
    await seed_old_year(old_point, old_topic, 600, old)
    slow = replace(settings, retention_batch=20, retention_pause_ms=100)  # 30 batches, > 3 s
    monkeypatch.setattr(worker_module, "HOUSEKEEPING_SECONDS", 0.05)

    async def erased() -> int:
        return await Appointment.count().where(Appointment.erased_at.is_not_null())

    task = asyncio.create_task(Worker(slow, clock).housekeeping())
    try:
        await until(lambda: erased_at_least(erased, 40))
        clock.now = NOW + timedelta(minutes=settings.hold_minutes + 1)  # the hold's time is up

        async def ended() -> bool:
            return await status_of(held["id"]) != "held"

        await until(ended)
        assert await erased() < 400  # the retention run was still going on
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def erased_at_least(erased, count: int) -> bool:
    return await erased() >= count


async def test_the_worker_deletes_staff_sessions_nobody_can_use_any_more(db, settings):
    """Ended sessions (past 12 hours, idle too long, a half login left at the code page)
    leave the table; a live one stays."""
    account = await accounts.create_account(
        email="agnieszka@example.nl", name="Agnieszka", password="a long password here",
        role="consultant", region_id=await factories.region(),
    )  # fmt: skip
    idle = timedelta(minutes=settings.staff_idle_minutes)
    live = await sessions.start_session(account, NOW)
    await sessions.start_session(account, NOW - timedelta(hours=13))  # past its lifetime
    await sessions.start_session(account, NOW - idle - timedelta(minutes=1))  # idle
    await sessions.start_session(account, NOW - timedelta(hours=1), StaffSession.CODE)

    async def only_the_live_one() -> bool:
        return await StaffSession.count() == 1

    await housekeeping_until(settings, NOW, only_the_live_one)
    assert (await sessions.account_for(live, NOW, idle)).id == account
