"""Report reads on a real streaming replica when DATABASE_REPLICA_URL is set (issue 12 item 4):
they go there and nothing else does; an unreachable replica sends them to the primary with
one warning and no error. PostgreSQL only."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from booking.db import replica
from booking.db.rows import fetch_tuples
from booking.domain.policy import Policy
from booking.services import appointments, reports
from booking.services.appointments import BookingRequest
from booking.services.auth.accounts import create_account
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from booking.settings import get_settings
from tests import factories
from tests.conftest import NOW
from tests.live import serving
from tests.local_replica import streaming_replica
from tests.local_smtp import free_port
from tests.staff_login import PASSWORD, log_in

pytestmark = pytest.mark.skipif(
    not get_settings().is_postgres,
    reason="a streaming replica is PostgreSQL's; on SQLite every read is the one file's",
)

PERIOD = reports.Period(NOW.date(), NOW.date() + timedelta(days=1))
POLICY = Policy.from_settings(get_settings())


@pytest.fixture(scope="module")
def replica_url(database, settings):
    with streaming_replica(settings.database_url) as url:
        yield url


@pytest.fixture
async def on_replica(db, replica_url):
    await replica.configure(replica_url)
    yield replica_url
    await replica.configure("")


async def book(point: int, topic: int, phone: str) -> None:
    """A confirmed appointment by phone at the first free time: a write, through the service."""
    _, slots = await search_slots(
        Catalog(), POLICY, point_id=point, topic_id=topic, language="pl",
        first=NOW.date(), last=NOW.date(), now=NOW,
    )  # fmt: skip
    request = BookingRequest(point, topic, "pl", slots[0].start, phone, channel="phone")
    await appointments.book_confirmed(Catalog(), POLICY, request, now=NOW)


async def reported() -> int:
    return (await reports.build(Catalog(), None, PERIOD)).by_channel.total.count


async def until_reported(count: int) -> None:
    deadline = time.monotonic() + 60
    while await reported() != count:
        assert time.monotonic() < deadline, "the replica did not catch up"
        await asyncio.sleep(0.05)


async def test_report_reads_go_to_the_replica_and_writes_to_the_primary(on_replica):
    [(recovery, port)] = await replica.fetch_tuples(
        "SELECT pg_is_in_recovery(), inet_server_port()"
    )
    assert recovery and port == urlsplit(on_replica).port  # the probe took the report path
    [(primary,)] = await fetch_tuples("SELECT pg_is_in_recovery()")
    assert not primary
    region = await factories.region()
    point, topic = await factories.point(region), await factories.topic()
    await factories.staff(point, ["pl"], name="Agnieszka")
    await factories.staff(point, ["pl"], name="Bogdan")
    await book(point, topic, "+48601000001")
    await until_reported(1)

    standby = await asyncpg.connect(on_replica)
    try:
        await standby.execute("SELECT pg_wal_replay_pause()")
        # A write while reports read the replica: it lands on the primary (a hot standby
        # refuses every write), and the paused replica does not see it yet.
        await book(point, topic, "+48601000002")
        assert await reported() == 1
        await replica.configure("")
        assert await reported() == 2  # the primary has it
        await replica.configure(on_replica)
        assert await reported() == 1
    finally:
        await standby.execute("SELECT pg_wal_replay_resume()")
        await standby.close()
    await until_reported(2)


def elsewhere(replica_url: str, case: str) -> str:
    """A replica URL that cannot serve: nothing listening, or a database it does not have."""
    if case == "closed port":
        return f"postgres://postgres@127.0.0.1:{free_port()}/loket"
    return urlsplit(replica_url)._replace(path="/no_such_database").geturl()


@pytest.mark.parametrize("case", ["closed port", "unknown database"])
async def test_an_unreachable_replica_sends_reports_to_the_primary(db, replica_url, caplog, case):
    region = await factories.region()
    point, topic = await factories.point(region), await factories.topic()
    await factories.staff(point, ["pl"], name="Agnieszka")
    await book(point, topic, "+48601000001")
    await replica.configure(elsewhere(replica_url, case))
    try:
        with caplog.at_level(logging.WARNING, logger="booking.db.replica"):
            assert [await reported() for _ in range(3)] == [1, 1, 1]
        [(recovery,)] = await replica.fetch_tuples("SELECT pg_is_in_recovery()")
        assert not recovery
    finally:
        await replica.configure("")
    warnings = [r for r in caplog.records if r.name == "booking.db.replica"]
    assert len(warnings) == 1, warnings
    assert "cannot be reached" in warnings[0].getMessage()


async def report_readers(url: str) -> int:
    """Connections the report seam holds open on the server at ``url``."""
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'loket-reports'"
        )
    finally:
        await connection.close()


@pytest.mark.parametrize("reachable", [True, False])
async def test_a_served_report_page_reads_the_replica_or_else_the_primary(
    db, replica_url, settings, reachable
):
    region = await factories.region()
    await factories.point(region)  # a region without points has nothing to read
    await create_account(
        email="coordinator@example.nl", name="Coordinator", password=PASSWORD,
        role="coordinator", region_id=region,
    )  # fmt: skip
    url = replica_url if reachable else f"postgres://postgres@127.0.0.1:{free_port()}/loket"
    web = {"DATABASE_REPLICA_URL": url, "LOKET_IN_PROCESS_WORKER": "off"}
    with serving(**web) as served:
        async with httpx.AsyncClient(base_url=served) as http:
            assert (await log_in(http, "coordinator@example.nl")).status_code == 303
            assert await report_readers(replica_url) == 0
            assert (await http.get("/staff/reports")).status_code == 200
            assert (await report_readers(replica_url) > 0) == reachable
            assert await report_readers(settings.database_url) == 0  # never on the primary
