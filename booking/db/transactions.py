"""Transactions that behave the same on SQLite and PostgreSQL, and one reading of DB errors.

SQLite: writers take the write lock up front (BEGIN IMMEDIATE, WAL) so the overlap check
inside the transaction sees every committed booking, and within one process they queue on an
asyncio lock first, because a BEGIN IMMEDIATE that times out leaks Piccolo's connection thread
(PITFALLS.md); on both engines one that fails or is cancelled lets go of its connection (``_LettingGo``).
PostgreSQL: READ COMMITTED; the exclusion constraint settles races, and the
caller retries with fresh data (see ``retrying``).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TypeVar

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import TransactionType

from booking.domain.errors import SlotTaken

T = TypeVar("T")

_sqlite_writers = asyncio.Lock()

#: Names the migrations give the no-overlap constraint and triggers.
OVERLAP_CONSTRAINT = "allocation_no_overlap"

#: Attempts this process lost to the database, by why: "overlap" (the no-overlap guarantee
#: refused a hold) or "deadlock" (PostgreSQL broke a wait cycle between two bookers).
lost_races: Counter[str] = Counter()


def engine() -> Engine:
    found = engine_finder()
    if found is None:
        raise RuntimeError("No Piccolo engine: is PICCOLO_CONF set to booking.piccolo_conf?")
    return found


def is_sqlite() -> bool:
    return engine().engine_type == "sqlite"


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """One atomic unit of writes; everything in it commits together or not at all."""
    db = engine()
    if db.engine_type == "sqlite":
        async with _sqlite_writers, _LettingGo(db):
            yield
    else:
        async with _LettingGo(db):
            yield


class _LettingGo:
    """A Piccolo transaction that lets go of its connection when entering or leaving it
    fails or is cancelled (a worker stopping mid-round, issue 17); Piccolo lets go of it
    only in a clean exit.

    PostgreSQL: a COMMIT that fails (a deferred constraint) or is cancelled never returned
    its connection to the pool, and closing the pool then waited for it for ever (the test
    run hung at its end). ``release`` rolls back what is open, or waits out a cancelled
    statement, or ends the connection.

    SQLite: cancelled while BEGIN IMMEDIATE waits for the lock, the statement still runs
    on in aiosqlite's thread and takes the lock once it is free; an unclosed connection
    then keeps it for good and every later writer times out. ``stop`` queues the close
    behind the running statement without waiting for it, so a cancelled task ends at once
    and the lock goes right after.
    """

    def __init__(self, db: Engine) -> None:
        self.transaction = (
            db.transaction(transaction_type=TransactionType.immediate)
            if db.engine_type == "sqlite"
            else db.transaction()
        )

    async def __aenter__(self) -> None:
        try:
            await self.transaction.__aenter__()
        except BaseException:
            await self._let_go()
            raise

    async def __aexit__(self, *exc_info: object) -> bool:
        try:
            return await self.transaction.__aexit__(*exc_info)
        except BaseException:
            await self._let_go()
            context = getattr(self.transaction, "context", None)
            if context is not None:
                with contextlib.suppress(ValueError):
                    self.transaction.engine.current_transaction.reset(context)
            raise

    async def _let_go(self) -> None:
        connection = getattr(self.transaction, "connection", None)
        if connection is None or getattr(self.transaction, "_parent", None) is not None:
            return
        if self.transaction.engine.engine_type == "sqlite":
            connection.stop()
            return
        pool = self.transaction.engine.pool
        # Shielded: a second cancellation must not leave the connection out of the pool.
        await asyncio.shield(pool.release(connection) if pool else connection.close())


async def take_turns(holds: Iterable[tuple[str, datetime]]) -> None:
    """Inside a write transaction: writers of the same resource and start queue here
    (PostgreSQL).

    The exclusion constraint alone is safe but not fair to a crowd: concurrent inserters of
    overlapping rows each wait for the other's transaction, PostgreSQL breaks one deadlock
    a second, and the retried attempts join the crowd again (50 racers for one slot took
    minutes). Transaction-scoped advisory locks, taken in one global order, queue the crowd
    (everyone pressing "book" on one time) instead: the first commits and the next sees its
    row at once. Holds that merely overlap still meet only the constraint, so neighbouring
    slots of one consultant are booked side by side. SQLite writers queue already.
    """
    db = engine()
    if db.engine_type == "sqlite":
        return
    transaction = db.current_transaction.get()
    if transaction is None:
        raise RuntimeError("take_turns needs the write transaction it protects")
    keys = sorted(
        {zlib.crc32(f"{resource}@{starts.timestamp()}".encode()) for resource, starts in holds}
    )
    # A function scan yields the array in order, so the locks are taken in sorted order.
    await transaction.connection.execute(
        "SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k", keys
    )


def is_overlap(error: BaseException) -> bool:
    """Whether ``error`` is the database refusing a double hold (or a deadlock between two)."""
    if isinstance(error, asyncpg.ExclusionViolationError):
        return error.constraint_name == OVERLAP_CONSTRAINT
    if isinstance(error, asyncpg.DeadlockDetectedError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and OVERLAP_CONSTRAINT in str(error)


def is_unique_violation(error: BaseException) -> bool:
    if isinstance(error, asyncpg.UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE constraint failed" in str(error)


async def retrying(attempt: Callable[[], Awaitable[T]], *, attempts: int = 12) -> T:
    """Runs ``attempt`` (one whole write transaction) again while it loses a race.

    Each lost race means another booking committed, so a fresh attempt sees less free
    capacity and the loop ends: with a success, or with the attempt raising SlotTaken.
    """
    for remaining in range(attempts - 1, -1, -1):
        try:
            return await attempt()
        except Exception as error:
            if not is_overlap(error):
                raise
            lost_races[
                "deadlock" if isinstance(error, asyncpg.DeadlockDetectedError) else "overlap"
            ] += 1
            if remaining == 0:
                raise SlotTaken() from error
    raise AssertionError("unreachable")


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Returning a connection to the pool without asyncpg's reset query.

    Loket keeps no session state (no advisory locks, LISTEN, cursors or SET), so the default
    reset (pg_advisory_unlock_all, CLOSE ALL, UNLISTEN, RESET ALL) is two round trips per
    request for nothing. asyncpg still rolls back any transaction left open.
    """


async def open_pool(min_size: int = 2, max_size: int = 20) -> None:
    """Starts the PostgreSQL connection pool; SQLite has none."""
    db = engine()
    if db.engine_type == "postgres":
        await db.start_connection_pool(min_size=min_size, max_size=max_size, reset=_keep_session)


#: How long closing the pool waits for connections still out before it ends them.
CLOSE_SECONDS = 10.0


async def close_pool() -> None:
    """Closes the pool; a connection still out after CLOSE_SECONDS is ended, so that no
    leaked connection can keep a process from stopping."""
    db = engine()
    pool = getattr(db, "pool", None)
    if db.engine_type == "postgres" and pool is not None:
        try:
            await asyncio.wait_for(pool.close(), CLOSE_SECONDS)
        except TimeoutError:
            pool.terminate()
        db.pool = None
