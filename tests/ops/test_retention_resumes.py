"""A real `loket worker` killed (SIGKILL) in the middle of its first retention run over old
data: a second worker finishes the run, nothing is erased twice or left behind, and every
count the reports read stays as it was (issue 12 item 3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking.db.tables import Appointment, Message, MigrantContact
from tests.live import start_loket
from tests.notify.test_workers import stop, until
from tests.old_data import old_place, seed_old_year
from tests.services.test_retention import anonymous_facts

APPOINTMENTS = 2000
BATCH = 70
#: Small batches with a pause between them, so that the kill lands mid-run.
SLOW_RETENTION = {"LOKET_RETENTION_BATCH": str(BATCH), "LOKET_RETENTION_PAUSE_MS": "100"}


async def erased_at() -> dict[int, datetime]:
    rows = await Appointment.select(Appointment.id, Appointment.erased_at).where(
        Appointment.erased_at.is_not_null()
    )
    return {r["id"]: r["erased_at"] for r in rows}


async def personal_data_left() -> dict[str, int]:
    return {
        "appointments": await Appointment.count().where(
            Appointment.contact.is_not_null() | Appointment.manage_token_hash.is_not_null()
        ),
        "messages": await Message.count().where(
            (Message.body != "") | Message.provider_id.is_not_null() | Message.contact.is_not_null()
        ),
        "contacts": await MigrantContact.count().where(
            MigrantContact.phone.is_not_null() | MigrantContact.first_name.is_not_null()
        ),
    }


async def test_a_retention_run_killed_mid_way_is_finished_by_the_next(db):
    point, topic = await old_place()
    # The workers run on the real clock: all of it ended more than 90 days ago.
    await seed_old_year(point, topic, APPOINTMENTS, datetime.now(UTC) - timedelta(days=100))
    facts = await anonymous_facts()

    first = await start_loket("worker", SLOW_RETENTION)

    async def under_way() -> bool:
        return await Appointment.count().where(Appointment.erased_at.is_not_null()) > 3 * BATCH

    try:
        await until(under_way)
    finally:
        first.process.kill()  # SIGKILL: no cleanup, its open batch is rolled back
        await first.process.wait()
    before = await erased_at()
    assert 3 * BATCH < len(before) < APPOINTMENTS
    assert len(before) % BATCH == 0  # whole batches of the size set: the open one rolled back
    left = await personal_data_left()
    assert 0 < left["appointments"] <= APPOINTMENTS - len(before)

    second = await start_loket("worker", {"LOKET_RETENTION_BATCH": "500"})

    async def finished() -> bool:
        return await Appointment.count().where(Appointment.erased_at.is_null()) == 0

    try:
        await until(finished)
    finally:
        await stop(second.process)
    after = await erased_at()
    assert len(after) == APPOINTMENTS
    assert {i: after[i] for i in before} == before  # nothing erased twice
    assert await personal_data_left() == {"appointments": 0, "messages": 0, "contacts": 0}
    assert await anonymous_facts() == facts
