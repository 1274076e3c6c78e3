"""A real `loket serve` in its own process on loopback, on the test database with demo data.

It logs at INFO into the run's log folder, which the end of the run scans for phone numbers
(tests/log_scan.py).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from booking.settings import PROJECT_ROOT
from tests.local_smtp import free_port
from tests.log_scan import log_dir

_started = itertools.count(1)


def loket_log(command: str) -> Path:
    """A log file of its own in the run's scanned folder for one `loket <command>` process."""
    return log_dir() / f"{command}-{os.getpid()}-{next(_started)}.log"


@dataclass(frozen=True)
class Started:
    process: asyncio.subprocess.Process
    log: Path

    def said(self, text: str) -> bool:
        return text in self.log.read_text(encoding="utf-8", errors="replace")


async def start_loket(command: str, env: dict[str, str]) -> Started:
    """`loket <command>` (worker, serve...) in its own process, logging at INFO (unless
    ``env`` says otherwise) into the scanned folder, so no phone number escapes the scan."""
    log = loket_log(command)
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "booking.cli",
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, "LOG_LEVEL": "INFO", **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Started(process, log)


@contextmanager
def serving(log_name: str | None = None, port: int | None = None, **env: str) -> Iterator[str]:
    """`loket serve` on ``port`` (a free one by default: a test that must name Loket's
    address elsewhere first, such as an identity provider's redirect URI, picks its own)."""
    port = port or free_port()
    environment = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
        **env,
    }
    log = (log_dir() / log_name if log_name else loket_log("serve")).open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "booking.cli", "serve"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("loket serve did not start")
        yield url
    finally:
        process.terminate()
        # Generous: a loaded machine may take a while to stop several web workers.
        process.wait(timeout=60)
        log.close()
