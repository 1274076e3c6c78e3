"""Lock-out under a crowd, through a real `loket serve`: 50 wrong passwords at once, then
the right one (issue 10: 30 concurrent tries once left the counter at 2 and no lock)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx

from booking.db.tables import StaffAccount
from booking.services.demo_data import DEMO_PASSWORD
from tests.live import serving

EMAIL = "agnieszka@loket.example"


async def test_fifty_concurrent_wrong_passwords_then_the_right_one_does_not_get_in(demo_data):
    with serving() as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            wrong = await asyncio.gather(
                *(
                    client.post(
                        "/api/staff/login", json={"email": EMAIL, "password": f"wrong guess {n}"}
                    )
                    for n in range(50)
                )
            )
        # A new connection: the crowd's first connections idle while the last passwords are
        # hashed, and the server may close one (keep-alive timeout) just as it is reused.
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            right = await client.post(
                "/api/staff/login", json={"email": EMAIL, "password": DEMO_PASSWORD}
            )
        # From another address the per-address limit does not apply: the account's lock does.
        elsewhere = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
        async with httpx.AsyncClient(base_url=url, timeout=60, transport=elsewhere) as other:
            again = await other.post(
                "/api/staff/login", json={"email": EMAIL, "password": DEMO_PASSWORD}
            )
    statuses = sorted({r.status_code for r in wrong})
    assert set(statuses) <= {401, 429} and 429 in statuses, statuses
    assert right.status_code == 429 and int(right.headers["retry-after"]) > 0
    assert again.status_code == 401 and again.json()["code"] == "login_failed", again.text
    account = await StaffAccount.select().where(StaffAccount.email == EMAIL).first()
    assert account["locked_until"] > datetime.now(UTC)
