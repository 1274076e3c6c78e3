"""A real PostgreSQL streaming replica of the suite's throwaway primary, for the tests that
need one (issue 12): ``pg_basebackup -R`` over loopback into a temporary folder, started on a
free port as a hot standby, removed afterwards. As root it runs as the postgres user, like
the primary (scripts/lib/postgres.sh).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.local_smtp import free_port


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(f"{folder}/{name}", os.X_OK):
            return f"{folder}/{name}"
    raise RuntimeError(f"{name} not found: install PostgreSQL's server binaries")


def _as_owner(*command: str, stdin: bytes | None = None, check: bool = True) -> None:
    """Runs a PostgreSQL tool as the cluster's owner (postgres, when we are root)."""
    owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*owner, *command], input=stdin, check=check, capture_output=True)  # noqa: S603 (PostgreSQL's own tools, our arguments)


@contextmanager
def streaming_replica(primary_url: str) -> Iterator[str]:
    """A hot standby of the cluster behind ``primary_url``; yields the URL of the same
    database on it."""
    primary = urlsplit(primary_url)
    folder = Path(tempfile.mkdtemp(prefix="loket-replica-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    user = primary.username or "postgres"
    _as_owner(
        _binary("pg_basebackup"), "-h", primary.hostname or "127.0.0.1",
        "-p", str(primary.port or 5432), "-U", user, "-D", str(data), "-R", "-X", "stream",
        "--checkpoint=fast",
    )  # fmt: skip
    # Later lines win: the copied postgresql.conf still names the primary's port and socket.
    settings = (
        f"\nport = {port}\nunix_socket_directories = '{folder}'\n"
        "listen_addresses = '127.0.0.1'\nhot_standby = on\n"
    )
    _as_owner("tee", "-a", str(data / "postgresql.conf"), stdin=settings.encode())
    pg_ctl = _binary("pg_ctl")
    _as_owner(pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "start")
    try:
        yield urlunsplit(primary._replace(netloc=f"{user}@127.0.0.1:{port}"))
    finally:
        _as_owner(pg_ctl, "-D", str(data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(folder, ignore_errors=True)
