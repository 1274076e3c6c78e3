"""Bookers in separate processes race for one consultant (issue 11): for the same start and
for overlapping different starts, with the bookings' own re-check on, and off so that the
database alone must refuse every double hold (DOMAIN.md rule 1), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import timedelta

import pytest

from booking.db.rows import fetch_tuples
from booking.domain.policy import Policy
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from booking.settings import PROJECT_ROOT, get_settings
from tests import factories
from tests.conftest import NOW
from tests.live import loket_log

PROCESSES = 3
PER_PROCESS = 6


@pytest.fixture
async def world(db):
    region = await factories.region()
    point = await factories.point(region)
    topic = await factories.topic()  # 30 minutes
    return point, topic


async def first_free(point: int, topic: int):
    _, slots = await search_slots(
        Catalog(),
        Policy.from_settings(get_settings()),
        point_id=point,
        topic_id=topic,
        language="pl",
        first=NOW.date(),
        last=NOW.date(),
        now=NOW,
    )
    return slots[0].start


async def race(tmp_path, point: int, topic: int, starts: list, recheck: str) -> list[dict]:
    """PROCESSES racer processes, each booking every start in ``starts`` at the same moment."""
    specs = []
    for p in range(PROCESSES):
        spec = {
            "point": point,
            "topic": topic,
            "now": NOW.isoformat(),
            "starts": [s.isoformat() for s in starts],
            "phones": [f"+48601{p:02d}{n:04d}" for n in range(len(starts))],
            "ready": str(tmp_path / f"ready-{p}"),
            "go": str(tmp_path / "go"),
        }
        path = tmp_path / f"spec-{p}.json"
        path.write_text(json.dumps(spec))
        specs.append(path)
    env = {**os.environ, "LOKET_RECHECK": recheck, "LOG_LEVEL": "INFO"}
    # Their logs go to the folder the run's log scan reads (tests/conftest.py).
    logs = [loket_log("racers").open("ab") for _ in specs]
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.racers", str(spec), cwd=PROJECT_ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=log,
        )
        for spec, log in zip(specs, logs, strict=True)
    ]  # fmt: skip
    while not all((tmp_path / f"ready-{p}").exists() for p in range(PROCESSES)):
        if any(process.returncode is not None for process in processes):
            break
        await asyncio.sleep(0.02)
    (tmp_path / "go").touch()
    outputs = [await process.communicate() for process in processes]
    for log in logs:
        log.close()
    assert all(process.returncode == 0 for process in processes), [log.name for log in logs]
    return [result for stdout, _ in outputs for result in json.loads(stdout)]


async def double_holds() -> int:
    """Pairs of live allocations of one resource that overlap: what must never exist."""
    sql = (
        "SELECT count(*) FROM allocation a JOIN allocation b ON a.resource = b.resource"
        " AND a.id < b.id AND a.live AND b.live"
        " AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"
    )
    return (await fetch_tuples(sql))[0][0]


def summary(results: list[dict]) -> tuple[list[dict], dict[str, int]]:
    assert not [r for r in results if "error" in r], results
    wins = [r for r in results if "won" in r]
    losses = {"recheck": 0, "database": 0}
    for r in results:
        if "lost" in r:
            losses[r["lost"]] += 1
    return wins, losses


@pytest.mark.parametrize("recheck", ["on", "off"])
async def test_processes_racing_for_one_start_leave_exactly_one_booking(world, tmp_path, recheck):
    point, topic = world
    await factories.staff(point, ["pl"], name="Agnieszka")
    start = await first_free(point, topic)

    wins, losses = summary(await race(tmp_path, point, topic, [start] * PER_PROCESS, recheck))

    assert len(wins) == 1, wins
    assert sum(losses.values()) == PROCESSES * PER_PROCESS - 1
    assert await double_holds() == 0
    if recheck == "off":
        # Nothing in the application looked: every loser was refused by the database.
        assert losses == {"recheck": 0, "database": PROCESSES * PER_PROCESS - 1}


@pytest.mark.parametrize("recheck", ["on", "off"])
async def test_overlapping_different_starts_of_one_consultant_never_both_win(
    world, tmp_path, recheck
):
    point, topic = world
    await factories.staff(point, ["pl"], name="Agnieszka")
    start = await first_free(point, topic)
    # 30-minute appointments at :00, :15 and :30: :15 overlaps both others, which do not
    # overlap each other. Only the database sees these as one conflict: they take no turns.
    starts = [start + timedelta(minutes=15 * (n % 3)) for n in range(PER_PROCESS)]

    wins, losses = summary(await race(tmp_path, point, topic, starts, recheck))

    won = sorted({w["start"] for w in wins})
    assert len(won) == len(wins)  # never one start twice
    assert won in (
        [start.isoformat(), (start + timedelta(minutes=30)).isoformat()],
        [(start + timedelta(minutes=15)).isoformat()],
        [start.isoformat()],
        [(start + timedelta(minutes=30)).isoformat()],
    ), won
    assert await double_holds() == 0
    if recheck == "off":
        assert losses["recheck"] == 0 and losses["database"] > 0
