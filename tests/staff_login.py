"""Logging staff in from tests: the login form with its CSRF token, or a Bearer token for the API.

Every test that needs a logged-in staff member goes through these, so a change to how staff
log in is made once here. Coordinators and admins must have a second factor: the first
login enrols one through the pages (reading the key off the page, as a person types it in)
and keeps the recovery codes; later logins send a code for the app's clock, or a recovery
code when that 30-second step was used already (a code counts once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pyotp

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
SECRET = re.compile(r'<code id="secret">([A-Z2-7]+)</code>')
RECOVERY = re.compile(r"<li><code>([a-z0-9-]+)</code></li>")


@dataclass
class Factor:
    secret: str
    recovery: list[str] = field(default_factory=list)
    used_steps: set[int] = field(default_factory=set)


#: The factors this test process enrolled, by email (a new enrolment replaces one).
FACTORS: dict[str, Factor] = {}


def app_now(client: httpx.AsyncClient) -> datetime:
    """The clock of the app behind an ASGI client (the tests' clock), or the real time."""
    app = getattr(client._transport, "app", None)
    return app.state.clock() if app is not None else datetime.now(UTC)


def code_for(email: str, now: datetime) -> str:
    """A TOTP code for ``now`` not used before, else a recovery code."""
    factor = FACTORS[email]
    step = int(now.timestamp()) // 30
    if step not in factor.used_steps:
        factor.used_steps.add(step)
        return pyotp.TOTP(factor.secret).at(now)
    return factor.recovery.pop()


async def enrol(client, email: str, page: httpx.Response) -> httpx.Response:
    """Sets up the factor on the enrolment page; answers the recovery codes page."""
    secret = SECRET.search(page.text).group(1)
    FACTORS[email] = Factor(secret)
    now = app_now(client)
    FACTORS[email].used_steps.add(int(now.timestamp()) // 30)
    shown = await client.post(
        "/staff/login/factor",
        data={
            "_csrf_token": CSRF.search(page.text).group(1),
            "code": pyotp.TOTP(secret).at(now),
            "next": "/staff/",
        },
    )
    assert shown.status_code == 200, shown.text
    FACTORS[email].recovery = RECOVERY.findall(shown.text)
    return shown


async def password_step(client, email: str, password: str) -> httpx.Response:
    form = await client.get("/staff/login")
    token = CSRF.search(form.text).group(1)
    return await client.post(
        "/staff/login",
        data={"_csrf_token": token, "email": email, "password": password, "next": "/staff/"},
    )


async def code_step(client, code: str) -> httpx.Response:
    page = await client.get("/staff/login/code")
    return await client.post(
        "/staff/login/code",
        data={"_csrf_token": CSRF.search(page.text).group(1), "code": code, "next": "/staff/"},
    )


async def log_in(client, email: str, password: str = PASSWORD):
    """The password, then whatever second step the account needs; the last answer."""
    response = await password_step(client, email, password)
    location = response.headers.get("location", "")
    key = email.strip().lower()
    if location.startswith("/staff/login/factor"):
        await enrol(client, key, await client.get(location))
        await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
        response = await password_step(client, email, password)
        location = response.headers.get("location", "")
    if location.startswith("/staff/login/code"):
        response = await code_step(client, code_for(key, app_now(client)))
    return response


async def csrf(client, url: str = "/staff/login") -> str:
    return CSRF.search((await client.get(url)).text).group(1)


async def api_token(client, email: str, password: str = PASSWORD) -> dict[str, str]:
    body = {"email": email, "password": password}
    response = await client.post("/api/staff/login", json=body)
    if response.status_code == 422 and response.json()["code"] == "factor_setup_needed":
        async with httpx.AsyncClient(
            transport=client._transport, base_url=client.base_url
        ) as browser:
            await log_in(browser, email, password)
    if response.status_code == 422:
        body["code"] = code_for(email.strip().lower(), app_now(client))
        response = await client.post("/api/staff/login", json=body)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
