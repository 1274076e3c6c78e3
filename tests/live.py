"""A real `loket serve` in its own process on loopback, on the test database with demo data.

It logs at INFO into the run's log folder, which the end of the run scans for phone numbers
(tests/log_scan.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from booking.settings import PROJECT_ROOT
from tests.log_scan import log_dir

SERVED_LOG = "served.log"


@contextmanager
def serving(log_name: str = SERVED_LOG, **env: str) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
        **env,
    }
    log = (log_dir() / log_name).open("ab")
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
