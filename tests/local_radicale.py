"""A real CalDAV server on loopback for tests: Radicale in its own process, its own folder.

It logs in with a plain htpasswd user; ``put_event``/``delete_event`` change the calendar as
the interpreter's own calendar app would, over CalDAV.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.local_smtp import free_port

USERNAME, PASSWORD = "dimitar", "tolk-agenda-2027"


@dataclass(frozen=True)
class Radicale:
    base_url: str

    @property
    def calendar_url(self) -> str:
        return f"{self.base_url}/{USERNAME}/werk/"

    def _client(self) -> httpx.Client:
        return httpx.Client(auth=(USERNAME, PASSWORD), timeout=10)

    def make_calendar(self) -> None:
        with self._client() as http:
            made = http.request("MKCALENDAR", self.calendar_url)
            assert made.status_code == 201, made.text

    def put_event(self, name: str, ics: str) -> None:
        with self._client() as http:
            put = http.put(
                f"{self.calendar_url}{name}.ics",
                content=ics.encode(),
                headers={"content-type": "text/calendar; charset=utf-8"},
            )
            assert put.status_code in (201, 204), put.text

    def delete_event(self, name: str) -> None:
        with self._client() as http:
            gone = http.delete(f"{self.calendar_url}{name}.ics")
            assert gone.status_code in (200, 204), gone.text


def _wait_for(port: int, process: subprocess.Popen, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"radicale exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("radicale did not start listening")


@contextmanager
def radicale(folder: Path) -> Iterator[Radicale]:
    """Radicale listening on a free loopback port until the block ends."""
    port = free_port()
    (folder / "users").write_text(f"{USERNAME}:{PASSWORD}\n")
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\n"
        "htpasswd_encryption = plain\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[rights]\ntype = owner_only\n"
        "[logging]\nlevel = warning\nmask_passwords = True\n"
    )
    process = subprocess.Popen(  # noqa: S603 (this interpreter, Radicale's module, our config)
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "radicale.log").open("wb"),
    )
    try:
        _wait_for(port, process)
        yield Radicale(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)
