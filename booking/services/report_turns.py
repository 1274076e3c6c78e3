"""Heavy reports take turns (issue 12): at most REPORTS_AT_ONCE per web process, so that a
crowd of admins asking for national reports cannot fill the database's and the process's
CPUs and starve the bookings beside them. A report waits up to WAIT_SECONDS for its turn,
then is refused with a 503 and Retry-After instead of queueing without end."""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator

from booking.domain.errors import Busy

REPORTS_AT_ONCE = 2
WAIT_SECONDS = 20.0
RETRY_AFTER_SECONDS = 10

#: One semaphore per event loop (tests run many loops in one process).
_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


class ReportsBusy(Busy):
    """Every report turn is taken and stayed taken for WAIT_SECONDS."""

    code = "reports_busy"
    retry_after = RETRY_AFTER_SECONDS


@contextlib.asynccontextmanager
async def turn() -> AsyncIterator[None]:
    """One report's turn.

    Raises:
        ReportsBusy: no turn came free within WAIT_SECONDS.
    """
    loop = asyncio.get_running_loop()
    turns = _turns.get(loop)
    if turns is None:
        turns = _turns[loop] = asyncio.Semaphore(REPORTS_AT_ONCE)
    try:
        await asyncio.wait_for(turns.acquire(), WAIT_SECONDS)
    except TimeoutError:
        raise ReportsBusy() from None
    try:
        yield
    finally:
        turns.release()
