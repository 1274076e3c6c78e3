"""Test set-up: a real database (SQLite by default, PostgreSQL when DATABASE_URL says so).

The engine is chosen before Loket is imported; the schema is migrated once per run; every
test that touches the database starts from empty tables. Every log line of the run, ours
and the served processes', is scanned for phone numbers at the end (tests/log_scan.py).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from tests import databases
from tests.log_scan import LOG_DIR_VARIABLE, hits, log_dir, session_log

os.environ["DATABASE_URL"] = databases.choose()
os.environ["PICCOLO_CONF"] = "booking.piccolo_conf"
# Made now, before any xdist worker starts, so that every worker and served process of the
# run writes into the one folder the end of the run scans.
os.environ[LOG_DIR_VARIABLE] = str(log_dir())

from booking.app import configure_logging, create_app
from booking.db.migrate import migrate
from booking.db.transactions import close_pool, engine, open_pool
from booking.settings import Settings, get_settings
from migrations import booking_2026_11_23t08_20_00_000000 as append_only

#: Tuesday 1 December 2026, 09:00 in Amsterdam: the tests' "now" unless they say otherwise.
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

#: Children first, so deletes never trip a foreign key.
TABLES = (
    "waitlist_offer", "waiting_entry", "queue_entry", "kiosk_link", "sms_opt_out", "rate_event", "message", "audit_entry", "staff_session", "recovery_code", "staff_identity", "callback_request",
    "invite_counter", "external_busy", "busy_source", "invite_attendee", "handover", "calendar_feed", "allocation", "appointment",
    "migrant_contact", "staff_account", "staff_absence", "staff_schedule", "staff_point",
    "agency_topic", "agency_hours", "staff_member", "agency", "mobile_visit",
    "opening_exception", "opening_hours", "topic", "point", "region", "worker_heartbeat",
    "report_day", "report_month", "report_dirty",
)  # fmt: skip


def pytest_report_header() -> str:
    return f"database: {'PostgreSQL' if get_settings().is_postgres else 'SQLite'}"


def pytest_configure(config: pytest.Config) -> None:
    """Every INFO record of the run goes to a file, with the production levels of chatty
    libraries (booking.app.configure_logging), so the scan sees what production would log."""
    handler = logging.FileHandler(session_log(), encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    configure_logging(get_settings())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fails the run when any log line holds a phone number (issue 7); under xdist the
    controller scans once every worker has finished."""
    for handler in logging.getLogger().handlers:
        handler.flush()
    if hasattr(session.config, "workerinput"):
        return
    found = list(hits(sorted(log_dir().glob("*.log"))))
    if not found:
        return
    report = "\n".join(found[:50])
    more = f"\n... and {len(found) - 50} more" if len(found) > 50 else ""
    print(
        f"\n\nLOG SCAN: {len(found)} log lines hold a phone number (masked here; logs in"
        f" {log_dir()}):\n{report}{more}",
        flush=True,
    )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[None]:
    await migrate(settings)
    await open_pool(min_size=2, max_size=40)
    yield
    await close_pool()


async def empty_tables(settings: Settings) -> None:
    """TRUNCATE on PostgreSQL; on SQLite, DELETE with the audit log's guard lifted meanwhile."""
    if settings.is_postgres:
        await engine().run_ddl(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        return
    for sql in append_only.SQLITE_DOWN:
        await engine().run_ddl(sql)
    for table in TABLES:
        await engine().run_ddl(f"DELETE FROM {table}")  # noqa: S608
    for sql in append_only.SQLITE:
        await engine().run_ddl(sql)


@pytest.fixture
async def db(database: None, settings: Settings) -> AsyncIterator[None]:
    """Empty tables before the test; what the test writes is really committed."""
    await empty_tables(settings)
    yield


class Clock:
    """A clock the test can move."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(db: None, settings: Settings, clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://loket.test") as http:
        yield http


@pytest.fixture(scope="module")
async def demo_data(database: None, settings: Settings) -> None:
    """The Noord-Brabant demo, for tests that drive a real server end to end."""
    from booking.services.demo import load_demo

    await empty_tables(settings)
    await load_demo()
