"""Start-up output says what happened, once (issue 15 item 6)."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys

import pytest

from booking.db.migrate import known_migrations, pending_migrations
from booking.db.transactions import engine
from booking.settings import PROJECT_ROOT, Settings
from tests.fresh_database import fresh_database


def loket(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own CLI)
        [sys.executable, "-m", "booking.cli", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


async def test_migrate_reports_once_what_it_did(settings: Settings) -> None:
    known = len(known_migrations())
    newest = known_migrations()[-1]
    async with fresh_database(settings) as url:
        first = loket("migrate", database_url=url)
        assert first.stdout.splitlines() == [
            f"applied {known} of {known} migrations; newest {newest}"
        ]
        again = loket("migrate", database_url=url)
        assert again.stdout.splitlines() == [
            f"database is current: {known} migrations, none to apply"
        ]


async def test_the_suite_database_is_current(database: None) -> None:
    assert await pending_migrations() == []


async def test_version_line_names_the_real_version(
    database: None, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        await engine().check_version()
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("booking.db")]
    if settings.is_postgres:
        server = await engine().run_ddl("SHOW server_version")
        assert lines == [f"PostgreSQL {server[0]['server_version'].split(' ')[0]}"]
    else:
        assert lines == [f"SQLite {sqlite3.sqlite_version}"]
