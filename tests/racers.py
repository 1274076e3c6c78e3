"""One process of bookers for the race tests: ``python -m tests.racers SPEC.json``.

Each process has its own database connections (and, on SQLite, its own file handle), so the
racers meet only in the database, as separate `loket serve` processes would. All of them
wait on one start signal (a file), book at once, and print one JSON line per attempt: who
won what, and for a loss whether the booking's own re-check or the database refused it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from booking.app import configure_logging
from booking.db.transactions import close_pool, open_pool
from booking.domain.errors import SlotTaken
from booking.domain.policy import Policy
from booking.services import appointments
from booking.services.appointments import BookingRequest
from booking.services.point_setup import Catalog
from booking.settings import get_settings


def outcome(result: object) -> dict:
    if isinstance(result, SlotTaken):
        # retrying() raises SlotTaken from the database's refusal when every attempt lost
        # that way; the re-check raises it without a cause.
        return {"lost": "database" if result.__cause__ is not None else "recheck"}
    if isinstance(result, BaseException):
        return {"error": repr(result)}
    return {
        "won": result.id,
        "start": result.starts_at.isoformat(),
        "resources": sorted(f"{r.kind}:{r.id}" for r in result.resources),
    }


async def race(spec: dict) -> list[dict]:
    await open_pool(min_size=1, max_size=len(spec["starts"]) + 2)
    catalog, policy = Catalog(), Policy.from_settings(get_settings())
    now = datetime.fromisoformat(spec["now"])

    async def attempt(n: int, start: str) -> object:
        request = BookingRequest(
            spec["point"], spec["topic"], "pl", datetime.fromisoformat(start), spec["phones"][n]
        )
        return await appointments.book(catalog, policy, request, now=now)

    results = await asyncio.gather(
        *(attempt(n, start) for n, start in enumerate(spec["starts"])), return_exceptions=True
    )
    await close_pool()
    return [outcome(r) for r in results]


def wait_for_the_signal(spec: dict) -> None:
    """Says this process is ready (everything imported), then waits for every racer's go."""
    Path(spec["ready"]).touch()
    deadline = time.monotonic() + 120
    while not Path(spec["go"]).exists():
        if time.monotonic() > deadline:
            raise SystemExit("racers: no start signal")
        time.sleep(0.002)


if __name__ == "__main__":
    spec = json.loads(Path(sys.argv[1]).read_text())
    configure_logging(get_settings())  # as a served process logs, to stderr: scanned too
    wait_for_the_signal(spec)
    print(json.dumps(asyncio.run(race(spec))))
