"""Real `loket worker` processes against the Twilio fake: a crash loses nothing, two
workers never send the same message twice (issue 4), and SIGTERM stops one cleanly (issue 15)."""

import asyncio
import signal
import time
from datetime import UTC, datetime

import pytest

from booking.db.tables import Message, MigrantContact
from booking.notify import outbox
from tests.fake_twilio import FakeTwilio, twilio_env
from tests.live import free_port, start_loket

#: Short, so the crash test recovers quickly.
LEASE_SECONDS = 2
#: Longer than any batch takes on a loaded machine: a lease that runs out mid-batch lets the
#: other worker send again, which is the at-least-once rule, not the claim being tested.
LONG_LEASE_SECONDS = 60


@pytest.fixture
async def fake():
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()


async def queue(count: int) -> set[str]:
    contact = (await MigrantContact.insert(MigrantContact(phone="+48601234567", language="pl")))[0][
        "id"
    ]
    bodies = {f"message {n:05d}" for n in range(count)}
    now = datetime.now(UTC)  # the workers run on the real clock
    for body in sorted(bodies):
        await outbox.enqueue(
            kind=Message.CONFIRMATION, language="pl", body=body, contact_id=contact, due_at=now
        )
    return bodies


STARTED = "worker started"


async def worker(
    fake: FakeTwilio, lease: int = LEASE_SECONDS, sender: str = "Loket", command: str = "worker"
) -> asyncio.subprocess.Process:
    """A running `loket worker` sending as ``sender``, so the fake can tell workers apart;
    or `loket serve` (one process) sending from its in-process worker."""
    env = {**twilio_env(fake.url), "TWILIO_FROM": sender, "LOKET_OUTBOX_LEASE_SECONDS": str(lease)}
    if command == "serve":
        env |= {"HOST": "127.0.0.1", "PORT": str(free_port()), "WEB_CONCURRENCY": "1"}
        env["LOKET_IN_PROCESS_WORKER"] = "on"
    started = await start_loket(command, env)

    async def running() -> bool:
        return started.said(STARTED)

    await until(running)
    return started.process


async def until(condition, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def all_sent(count: int) -> bool:
    return await Message.count().where(Message.status == Message.SENT) == count


async def stop(*processes: asyncio.subprocess.Process) -> None:
    for process in processes:
        if process.returncode is None:
            process.terminate()
        await process.wait()


async def test_a_worker_killed_mid_batch_loses_nothing(db, fake):
    bodies = await queue(300)
    fake.delay = 0.05
    first = await worker(fake)

    async def some_sent() -> bool:
        return len(fake.received) >= 40

    await until(some_sent)
    first.kill()  # SIGKILL: no cleanup, claimed rows stay claimed until their lease runs out
    await first.wait()
    assert await Message.count().where(Message.status == Message.SENT) < 300
    fake.delay = 0.0

    second = await worker(fake)
    try:
        await until(lambda: all_sent(300))
    finally:
        await stop(second)
    assert set(fake.bodies()) == bodies  # nothing lost
    # At most LOKET_SENDS_IN_FLIGHT (1): the one message whose answer was on its way back.
    assert len(fake.received) - len(bodies) <= 1


async def test_two_workers_never_send_the_same_message_twice(db, fake):
    # Slow enough that one worker cannot drain the queue before the other's next poll.
    fake.delay = 0.05
    workers = [await worker(fake, LONG_LEASE_SECONDS, sender) for sender in ("LoketA", "LoketB")]
    bodies = await queue(400)  # both are polling already, so both get a share
    try:
        await until(lambda: all_sent(400))
    finally:
        await stop(*workers)
    assert len(fake.received) == 400
    assert set(fake.bodies()) == bodies
    # Both really worked: a claim that let one worker take everything proves nothing.
    sent_by = {
        sender: sum(r["From"] == sender for r in fake.received) for sender in ("LoketA", "LoketB")
    }
    assert all(sent_by.values()), sent_by


@pytest.mark.parametrize("command", ["worker", "serve"])
async def test_sigterm_records_the_sends_in_flight_and_gives_back_the_rest(db, fake, command):
    bodies = await queue(300)
    fake.delay = 0.2  # slow answers: SIGTERM lands while sends are with the provider
    first = await worker(fake, LONG_LEASE_SECONDS, command=command)

    async def some_sent() -> bool:
        return len(fake.received) >= 20

    await until(some_sent)
    first.terminate()
    # uvicorn raises SIGTERM again once its clean shutdown is done, so serve "dies" of it.
    assert await first.wait() == (0 if command == "worker" else -signal.SIGTERM)
    # Every answer the provider gave is recorded, nothing is left claimed, and what was not
    # sent is due again at once, without an attempt counted.
    sent = await Message.count().where(Message.status == Message.SENT)
    assert sent == len(fake.received) < 300
    assert await Message.count().where(Message.status == Message.SENDING) == 0
    waiting = await Message.select(Message.attempts, Message.lease_until).where(
        Message.status == Message.PENDING
    )
    assert len(waiting) == 300 - sent
    assert {(r["attempts"], r["lease_until"]) for r in waiting} == {(0, None)}

    fake.delay = 0.0
    second = await worker(fake, LONG_LEASE_SECONDS)  # a long lease: only given-back rows go
    try:
        await until(lambda: all_sent(300))
    finally:
        await stop(second)
    assert sorted(fake.bodies()) == sorted(bodies)  # none lost, none twice
