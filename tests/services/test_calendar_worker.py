"""The worker's calendar loop (issue 13): one round reads a due CalDAV busy source with its
sealed password and the organizer mailbox over IMAPS, as ``loket worker`` runs it."""

import asyncio
from dataclasses import replace

import pytest

from booking.db.tables import BusySource, ExternalBusy, InviteAttendee
from booking.services.calendars import sources
from booking.settings import get_settings
from booking.worker import Worker
from tests import factories
from tests.conftest import NOW
from tests.local_radicale import PASSWORD as CALDAV_PASSWORD
from tests.local_radicale import USERNAME as CALDAV_USERNAME
from tests.local_radicale import radicale
from tests.notify.test_workers import until
from tests.services.test_busy_sources import COURT, WED_10, handover_times
from tests.services.test_mailbox_answers import mailbox, outlook, settings_for
from tests.web.test_invite_pages import AGENCY_MAIL, POLICY, answers, book, handover_world

__all__ = ["mailbox"]  # the Dovecot fixture


@pytest.fixture
def caldav(tmp_path):
    folder = tmp_path / "caldav"
    folder.mkdir()
    with radicale(folder) as running:
        running.make_calendar()
        yield running


async def test_one_round_reads_busy_times_and_answers(db, mailbox, caldav, monkeypatch):
    world = await handover_world()
    appointment_id = await book(world)
    mailbox.deliver(outlook(f"handover-{appointment_id}@127.0.0.1", 0, AGENCY_MAIL, "ACCEPTED"))
    caldav.put_event("court-hearing-1", COURT)
    await sources.add(
        kind=BusySource.CALDAV, url=caldav.calendar_url, username=CALDAV_USERNAME,
        password=CALDAV_PASSWORD, staff_id=world["ion"], now=NOW, secret=POLICY.secret,
    )  # fmt: skip
    # The worker trusts the system's CAs; here that is the test mailbox's own.
    monkeypatch.setenv("SSL_CERT_FILE", str(mailbox.certificate))
    settings = replace(settings_for(mailbox), secret_key=get_settings().secret_key)

    task = asyncio.create_task(Worker(settings, lambda: NOW).calendars())
    try:

        async def done() -> bool:
            answered = (await answers(appointment_id))[AGENCY_MAIL] == InviteAttendee.ACCEPTED
            return answered and await ExternalBusy.count() == 1

        await until(done, seconds=60)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    [source] = await BusySource.select(BusySource.error, BusySource.ok_at)
    assert source == {"error": "", "ok_at": NOW}
    agency = await factories.agency(
        world["region"], "uwv", emails=["intake@uwv.example"],
        hours=(((2,), "09:00", "17:00", 1),), topics=[world["topic"]],
    )  # fmt: skip
    assert WED_10 not in await handover_times({**world, "agency": agency})
