"""A stand-in for Twilio's Messages API on loopback, for tests and the dispatch benchmark.

Speaks what the real SDK sends (form POST with Basic auth) and answers like Twilio: 201 with
a message SID, or an error JSON with a Twilio code. Tests script failures per number or for
the next requests, and read back everything received.
Standalone: ``python -m tests.fake_twilio --port 8111`` (GET /_received returns the log).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token"


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    #: Seconds to wait before answering, to make batches slow enough to interrupt.
    delay: float = 0.0
    received: list[dict] = field(default_factory=list)
    #: (status, Twilio code) for the next requests, in order.
    script: deque = field(default_factory=deque)
    #: Numbers that always fail with (status, code).
    failing: dict[str, tuple[int, int]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    url: str = ""

    def bodies(self) -> list[str]:
        return [r["Body"] for r in self.received]

    async def _messages(self, request: web.Request) -> web.Response:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return web.json_response(
                {"code": 20003, "message": "Authenticate", "status": 401}, status=401
            )
        form = dict(await request.post())
        if self.delay:
            await asyncio.sleep(self.delay)
        failure = self.failing.get(form.get("To", "")) or (
            self.script.popleft() if self.script else None
        )
        if failure:
            status, code = failure
            return web.json_response(
                {"code": code, "message": "The 'To' number is not valid.", "status": status},
                status=status,
            )
        self.received.append(form)
        sid = f"SM{next(self._ids):032x}"
        return web.json_response(
            {
                "sid": sid,
                "status": "queued",
                "to": form.get("To"),
                "body": form.get("Body"),
                "account_sid": self.account_sid,
            },
            status=201,
        )

    async def _log(self, request: web.Request) -> web.Response:
        return web.json_response(self.received)

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_post(
            f"/2010-04-01/Accounts/{self.account_sid}/Messages.json", self._messages
        )
        app.router.add_get("/_received", self._log)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def twilio_env(url: str) -> dict[str, str]:
    """The settings that point Loket's Twilio sender at a fake (or staging) server."""
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM": "Loket",
        "TWILIO_API_BASE_URL": url,
    }


async def _serve(port: int) -> None:
    fake = FakeTwilio()
    print(json.dumps({"url": await fake.start(port)}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    asyncio.run(_serve(parser.parse_args().port))
