"""A stand-in for Twilio's Messages API on loopback, for tests and the dispatch benchmark.

Speaks what the real SDK sends (form POST with Basic auth) and answers like Twilio: 201 with
a message SID, or an error JSON with a Twilio code. Tests script failures per number or for
the next requests, and read back everything received.

WhatsApp as Twilio does it: ``whatsapp:`` addresses on the same endpoint, a free-form
``Body`` or an approved ``ContentSid`` with ``ContentVariables`` (JSON). With ``post_back``
set, the fake then calls the message's StatusCallback, signed with the auth token: sent and
delivered (and read, on WhatsApp), or failed with an error code: 63003 for a number not on
WhatsApp (``not_on_whatsapp``), 63016 for a free-form message outside the 24-hour window,
which ``incoming`` (a person writing to the WhatsApp sender) opens.
Standalone: ``python -m tests.fake_twilio --port 8111`` (GET /_received returns the log).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiohttp import web
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token"
WHATSAPP = "whatsapp:"
#: Twilio's own checks of a WhatsApp request (code, message).
NO_BODY = (21619, "A text message body or media urls must be specified.")
VARIABLES_WITHOUT_CONTENT = (21654, "A ContentSid must be specified if ContentVariables are given.")
MIXED_CHANNELS = (21910, "Invalid From and To pair. From and To should be of the same channel.")

#: (url, form, signature): how a status callback or an incoming message reaches the app.
PostBack = Callable[[str, dict[str, str], str], Awaitable[object]]


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
    #: Calls the app as Twilio would; None: no callbacks (the SMS tests' default).
    post_back: PostBack | None = None
    #: The clock Meta's 24-hour window is judged by.
    clock: Callable[[], datetime] | None = None
    #: Numbers (E.164) that have no WhatsApp: accepted, then failed with 63003.
    not_on_whatsapp: set[str] = field(default_factory=set)
    #: When each number last wrote to the WhatsApp sender.
    _seen: dict[str, datetime] = field(default_factory=dict)
    #: Accepted messages whose status callbacks ``settled`` has yet to make.
    _reports: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def bodies(self) -> list[str]:
        return [r.get("Body", "") for r in self.received]

    def whatsapp(self) -> list[dict]:
        return [r for r in self.received if r.get("To", "").startswith(WHATSAPP)]

    def sms(self) -> list[dict]:
        return [r for r in self.received if not r.get("To", "").startswith(WHATSAPP)]

    async def incoming(self, url: str, sender: str, body: str, *, to: str = "") -> object:
        """A person writes to us (``sender`` as Twilio gives it, e.g. whatsapp:+48...): posted
        to ``url`` signed, like Twilio's incoming-message webhook; WhatsApp opens the window."""
        if sender.startswith(WHATSAPP) and self.clock is not None:
            self._seen[sender.removeprefix(WHATSAPP)] = self.clock()
        form = {
            "MessageSid": f"SM{next(self._ids):032x}",
            "AccountSid": self.account_sid,
            "From": sender,
            "To": to,
            "Body": body,
            "NumMedia": "0",
            "ApiVersion": "2010-04-01",
        }
        if sender.startswith(WHATSAPP):
            form |= {"WaId": sender.removeprefix(WHATSAPP + "+"), "ProfileName": "Klient"}
        return await self._post(url, form)

    async def settled(self) -> None:
        """Makes the status callbacks of the messages accepted so far, in order: called by
        the test once the dispatcher has recorded its sends, so none arrives before that."""
        while self._reports:
            await self._report(*self._reports.pop(0))

    async def _post(self, url: str, form: dict[str, str]) -> object:
        assert self.post_back is not None, "set post_back to call the app"
        signature = RequestValidator(self.auth_token).compute_signature(url, form)
        return await self.post_back(url, form, signature)

    def _whatsapp_refusal(self, form: dict[str, str]) -> tuple[int, str] | None:
        """What Twilio says at once about a WhatsApp request it cannot take."""
        sender, to = form.get("From", ""), form.get("To", "")
        if sender.startswith(WHATSAPP) != to.startswith(WHATSAPP):
            return MIXED_CHANNELS
        if form.get("ContentVariables") and not form.get("ContentSid"):
            return VARIABLES_WITHOUT_CONTENT
        if not (form.get("Body") or form.get("ContentSid")):
            return NO_BODY
        if form.get("ContentVariables"):
            json.loads(form["ContentVariables"])  # Twilio refuses JSON it cannot read
        return None

    def _outcome(self, form: dict[str, str]) -> tuple[list[str], int | None]:
        """The statuses Twilio reports for an accepted message, and a final error code."""
        to = form.get("To", "")
        if not to.startswith(WHATSAPP):
            return ["sent", "delivered"], None
        number = to.removeprefix(WHATSAPP)
        if number in self.not_on_whatsapp:
            return ["failed"], 63003
        seen = self._seen.get(number)
        now = self.clock() if self.clock is not None else None
        in_window = seen is not None and now is not None and now - seen < timedelta(hours=24)
        if not form.get("ContentSid") and not in_window:
            return ["failed"], 63016
        return ["sent", "delivered", "read"], None

    async def _report(self, sid: str, form: dict[str, str]) -> None:
        statuses, code = self._outcome(form)
        for status in statuses:
            callback = {
                "MessageSid": sid,
                "SmsSid": sid,
                "AccountSid": self.account_sid,
                "From": form.get("From", ""),
                "To": form.get("To", ""),
                "MessageStatus": status,
                "SmsStatus": status,
                "ApiVersion": "2010-04-01",
            }
            if form.get("To", "").startswith(WHATSAPP):
                callback |= {
                    "ChannelPrefix": "whatsapp",
                    "ChannelToAddress": form["To"].removeprefix(WHATSAPP),
                }
            if code is not None and status == "failed":
                callback["ErrorCode"] = str(code)
            await self._post(form["StatusCallback"], callback)

    async def _messages(self, request: web.Request) -> web.Response:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return web.json_response(
                {"code": 20003, "message": "Authenticate", "status": 401}, status=401
            )
        form = dict(await request.post())
        if self.delay:
            await asyncio.sleep(self.delay)
        to = form.get("To", "")
        failure = (
            self.failing.get(to)
            or self.failing.get(to.removeprefix(WHATSAPP))
            or (self.script.popleft() if self.script else None)
        )
        if failure:
            status, code = failure
            return web.json_response(
                {"code": code, "message": "The 'To' number is not valid.", "status": status},
                status=status,
            )
        refusal = self._whatsapp_refusal(form)
        if refusal:
            code, message = refusal
            return web.json_response({"code": code, "message": message, "status": 400}, status=400)
        self.received.append(form)
        sid = f"SM{next(self._ids):032x}"
        if self.post_back is not None and form.get("StatusCallback"):
            self._reports.append((sid, form))
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
