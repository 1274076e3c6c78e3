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
from booking.settings import DEVELOPMENT_KEY, PROJECT_ROOT, Settings
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


REFUSAL = (
    "LOKET_SECRET_KEY must be set to a random value of at least 32 characters when"
    " PUBLIC_BASE_URL is https or LOKET_ENV=production (for example: python3 -c 'import"
    " secrets; print(secrets.token_urlsafe(48))')"
)


@pytest.mark.parametrize("command", ["serve", "worker"])
@pytest.mark.parametrize(
    "production",
    [
        {"PUBLIC_BASE_URL": "https://loket.example.nl"},
        {"LOKET_ENV": "production"},
        {"LOKET_ENV": "production", "LOKET_SECRET_KEY": DEVELOPMENT_KEY},
        {"PUBLIC_BASE_URL": "https://loket.example.nl", "LOKET_SECRET_KEY": "short"},
    ],
)
def test_production_refuses_the_development_key_in_one_line(command, production) -> None:
    """Issue 10 item 4: under that key anyone could derive the manage links and open the
    codes waiting in the outbox, so neither `loket serve` nor `loket worker` starts."""
    environment = {k: v for k, v in os.environ.items() if k != "LOKET_SECRET_KEY"}
    refused = subprocess.run(  # noqa: S603 (our own CLI)
        [sys.executable, "-m", "booking.cli", command],
        cwd=PROJECT_ROOT,
        env={**environment, **production},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [f"loket {command}: {REFUSAL}"]
    assert refused.stdout == ""
