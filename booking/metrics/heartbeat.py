"""Each worker says every few seconds that it is alive, in the database, so any /metrics
target shows every worker's last sign of life (one that died or hangs stops beating)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from booking.db.tables import WorkerHeartbeat
from booking.db.transactions import write_transaction

log = logging.getLogger(__name__)

BEAT_SECONDS = 15
#: A worker whose last beat is older than this is not counted as alive.
ALIVE_WITHIN = timedelta(seconds=3 * BEAT_SECONDS)
#: Rows left behind by crashed workers are dropped after this.
FORGET_AFTER = timedelta(days=1)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def beat(name: str, kind: str, now: datetime) -> None:
    """Records one sign of life (inserting the row on the first beat)."""
    async with write_transaction():
        updated = (
            await WorkerHeartbeat.update({WorkerHeartbeat.beat_at: now})
            .where(WorkerHeartbeat.name == name)
            .returning(WorkerHeartbeat.id)
        )
        if not updated:
            await WorkerHeartbeat.insert(
                WorkerHeartbeat(name=name, kind=kind, started_at=now, beat_at=now)
            )
        await WorkerHeartbeat.delete().where(WorkerHeartbeat.beat_at < now - FORGET_AFTER)


async def beat_forever(kind: str, clock: Callable[[], datetime]) -> None:
    """Beats until cancelled, then removes this worker's row (a clean stop is no alarm)."""
    name = worker_name()
    try:
        while True:
            try:
                await beat(name, kind, clock())
            except Exception:
                log.exception("heartbeat failed; trying again later")
            await asyncio.sleep(BEAT_SECONDS)
    finally:
        try:
            await WorkerHeartbeat.delete().where(WorkerHeartbeat.name == name)
        except Exception:
            log.warning("could not remove this worker's heartbeat on the way out")
