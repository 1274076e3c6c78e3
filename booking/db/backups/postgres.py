"""PostgreSQL through pg_dump (custom format) and pg_restore, found on PATH or under
/usr/lib/postgresql/*/bin; the newest wins, since pg_dump refuses a newer server."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from booking.db.backups.errors import BackupError


def tool(name: str) -> str:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    found = str(candidates[-1]) if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install PostgreSQL's client tools")
    return found


def _without_password(url: str) -> tuple[str, dict[str, str]]:
    """The URL for the command line (seen by ``ps``) and PGPASSWORD for its environment."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, {}
    netloc = parts.netloc.rpartition("@")
    user = parts.username or ""
    return (
        urlunsplit(parts._replace(netloc=f"{user}@{netloc[2]}")),
        {"PGPASSWORD": unquote(parts.password)},
    )


def _run(command: list[str], url: str) -> None:
    dsn, secret = _without_password(url)
    result = subprocess.run(  # noqa: S603 (PostgreSQL's own tools, arguments from settings)
        [*command, f"--dbname={dsn}"],
        env={**os.environ, **secret},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def dump(url: str, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _run([tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}"], url)
    partial.rename(target)


async def _table_count(url: str) -> int:
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
    finally:
        await connection.close()


def load(url: str, source: Path) -> None:
    """Restores into the database ``url`` names, which must be empty (``createdb`` one)."""
    if asyncio.run(_table_count(url)):
        raise BackupError(
            "the database DATABASE_URL names is not empty: create an empty one (createdb)"
            " and restore into that"
        )
    _run(
        [tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", str(source)],
        url,
    )  # fmt: skip
