"""Stopping the worker in the middle of an offer round leaves the database usable.

The worker's loops are cancelled at shutdown (booking/worker.py, ``Worker.run``). Here the
offer round is cancelled while it waits for its write transaction, because another writer
(another process, as far as Loket can tell) holds the lock. Afterwards the next write must
go through at once: on SQLite a BEGIN IMMEDIATE cancelled in flight still takes the write
lock once it is free, so its connection must be let go (booking/db/transactions.py), or
every later writer waits its whole timeout and fails with "database is locked".
"""

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import asyncpg

from booking.db import transactions
from booking.db.tables import Region, WaitingEntry, WaitlistOffer
from booking.db.transactions import write_transaction
from booking.worker import Worker
from tests.conftest import NOW
from tests.waitlist.world import evening_point, on_the_list

#: A write that takes longer than this after the round's cancellation is stuck behind it.
PROMPT_SECONDS = 5


@asynccontextmanager
async def other_writer(settings) -> AsyncIterator[Callable[[], Awaitable[bool]]]:
    """Holds the lock the offer round needs, from a connection of its own, until the block
    ends; yields a check that the round waits for it."""
    if settings.is_postgres:
        connection = await asyncpg.connect(settings.database_url)
        transaction = connection.transaction()
        await transaction.start()
        await connection.execute("SELECT id FROM waiting_entry FOR UPDATE")

        async def waiting() -> bool:
            return (
                await connection.fetchval(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()"
                )
                > 0
            )

        try:
            yield waiting
        finally:
            await transaction.rollback()
            await connection.close()
        return
    connection = sqlite3.connect(settings.sqlite_path, isolation_level=None, timeout=1)
    connection.execute("BEGIN IMMEDIATE")

    async def writing() -> bool:
        # The round holds the in-process writers' lock only while it enters its transaction.
        return transactions._sqlite_writers.locked()

    try:
        yield writing
    finally:
        connection.execute("ROLLBACK")
        connection.close()


async def until(check: Callable[[], Awaitable[bool]], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("the offer round never waited for its transaction")
        await asyncio.sleep(0.05)


async def test_cancelling_an_offer_round_mid_transaction_leaves_the_database_usable(db, settings):
    point, topic = await evening_point()
    await on_the_list(point, topic, "+48601000001", "pl", NOW)
    worker = Worker(settings, lambda: NOW)
    async with other_writer(settings) as round_waits:
        task = asyncio.create_task(worker.offers())
        await until(round_waits)
        await asyncio.sleep(0.3)  # the BEGIN (or the row lock) is in flight now
        task.cancel()
        await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), PROMPT_SECONDS)
        assert task.cancelled()
    # The other writer is done: a BEGIN still running for the cancelled round gets the lock
    # now (SQLite's busy handler tries again within 100 ms).
    await asyncio.sleep(1)
    # Nothing of the cancelled round was written.
    assert await WaitlistOffer.count() == 0
    [entry] = await WaitingEntry.select(WaitingEntry.status)
    assert entry["status"] == WaitingEntry.WAITING

    async def write(n: int) -> None:
        async with write_transaction():
            await Region.insert(Region(code=f"after-{n}", name="After the stop"))

    started = time.monotonic()
    for n in range(3):  # on PostgreSQL, more writes than the round could have spoiled
        await asyncio.wait_for(write(n), PROMPT_SECONDS)
    assert time.monotonic() - started < PROMPT_SECONDS
    assert await Region.count().where(Region.code.like("after-%")) == 3
    # And the next round, in a new worker, offers the time as if nothing happened.
    task = asyncio.create_task(Worker(settings, lambda: NOW).offers())
    try:
        for _ in range(200):
            if await WaitlistOffer.count():
                break
            await asyncio.sleep(0.05)
        assert await WaitlistOffer.count() == 1
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
