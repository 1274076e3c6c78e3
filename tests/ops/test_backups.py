"""`loket backup` of a serving Loket while bookings go on, `loket restore` into a fresh
database, and everything is there (issue 15 item 4), on both engines."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from booking.db.tables import Message
from booking.settings import PROJECT_ROOT, Settings
from tests.fresh_database import fresh_database
from tests.live import serving
from tests.notify.test_workers import until
from tests.ops import flows
from tests.ops.raw import rows

#: What must survive: every appointment, every message's state, every audit entry.
CHECKED = {
    "appointments": "SELECT id, status, channel, starts_at FROM appointment ORDER BY id",
    "allocations": "SELECT id, appointment, resource, live FROM allocation ORDER BY id",
    "messages": "SELECT id, kind, status, provider_id, attempts FROM message ORDER BY id",
    "audit": "SELECT id, account, action, subject, at FROM audit_entry ORDER BY id",
}


async def loket(*args: str, database_url: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "booking.cli", *args, cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()
    return output.decode()


async def settled() -> bool:
    """No message is due and unsent (reminders wait for their time)."""
    due = Message.status.is_in(["pending", "sending"]) & (Message.due_at <= datetime.now(UTC))
    return not await Message.count().where(due)


async def test_backup_while_serving_restores_everything(
    demo_data: None, settings: Settings, tmp_path: Path
) -> None:
    with serving(LOKET_RATE_LIMITS="off") as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            headers = await flows.staff_headers(http)
            point, topic = await flows.veghel(http)
            starts = flows.spaced(await flows.free_starts(http, point, topic, days=28))
            assert len(starts) > 40
            for n, start in enumerate(starts[:6]):
                await flows.book_for_caller(http, headers, point, topic, start, n)
            held = [
                await flows.hold(http, point, topic, s, 10 + n) for n, s in enumerate(starts[6:9])
            ]
            cancel = await http.post(f"/api/appointments/{held[0]['manage_token']}/cancel")
            assert cancel.status_code == 200, cancel.text
            day = starts[0][:10]
            agenda = await http.get(
                "/api/staff/agenda", params={"point": point, "day": day}, headers=headers
            )
            assert agenda.status_code == 200, agenda.text
            await until(settled)
            before = {name: await rows(settings.database_url, sql) for name, sql in CHECKED.items()}
            assert before["audit"] and before["messages"]

            backup_done = asyncio.Event()
            booked: list[dict] = []

            async def keep_booking() -> None:
                """Books and cancels, round the free starts, until the backup is written."""
                n = 0
                while not backup_done.is_set():
                    start = starts[12 + n % 20]
                    made = await flows.book_for_caller(http, headers, point, topic, start, 100 + n)
                    booked.append(made)
                    await http.post(f"/api/appointments/{made['manage_token']}/cancel")
                    n += 1

            bookings = asyncio.create_task(keep_booking())

            async def underway() -> bool:
                return len(booked) >= 2

            await until(underway)
            target = tmp_path / ("loket.dump" if settings.is_postgres else "loket.sqlite")
            ahead = len(booked)
            await loket("backup", str(target), database_url=settings.database_url)
            during = len(booked) - ahead
            backup_done.set()
            await bookings
            assert during > 0, "no booking was made while the backup ran"
    after = await rows(settings.database_url, CHECKED["appointments"])

    async with fresh_database(settings) as fresh:
        await loket("restore", str(target), database_url=fresh)
        restored = {name: await rows(fresh, sql) for name, sql in CHECKED.items()}
        migrate = await loket("migrate", database_url=fresh)
    assert "database is current" in migrate
    for name in ("audit", "allocations"):
        assert restored[name][: len(before[name])] == before[name], name
    # Messages sent before the backup keep their state; the bookings going on meanwhile
    # appear as they were at the backup's moment, each one whole or not at all.
    assert restored["messages"][: len(before["messages"])] == before["messages"]
    assert restored["appointments"][: len(before["appointments"])] == before["appointments"]

    # Booked meanwhile (and maybe cancelled after the backup): the same appointments.
    def fixed(found: list[tuple]) -> set[tuple]:
        return {(r[0], r[2], r[3]) for r in found}  # id, channel, start: never change

    assert fixed(restored["appointments"]) <= fixed(after)
    ids = {row[0] for row in restored["appointments"]}
    assert {row[1] for row in restored["allocations"]} <= ids
    assert len(before["appointments"]) <= len(ids) <= len(after)
