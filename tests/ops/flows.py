"""What a migrant and a consultant do over HTTP against a served Loket with the demo data:
the shared steps of the backup and stack tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

DEMO_PASSWORD = "loket-demo-2026"
#: A consultant, who books for callers with a password alone (coordinators need a second
#: factor, tests/staff_login.py).
CONSULTANT = "agnieszka@loket.example"


async def staff_headers(http: httpx.AsyncClient, email: str = CONSULTANT) -> dict[str, str]:
    answer = await http.post("/api/staff/login", json={"email": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


async def veghel(http: httpx.AsyncClient) -> tuple[int, int]:
    """The demo's Veghel point and its first topic."""
    points = (await http.get("/api/points")).json()
    point = next(p["id"] for p in points if p["slug"] == "veghel")
    topic = (await http.get("/api/topics")).json()[0]["id"]
    return point, topic


async def free_starts(http: httpx.AsyncClient, point: int, topic: int, days: int = 14) -> list[str]:
    """Free starts over the next days, on the real clock the served process runs on."""
    today = datetime.now(UTC).date()
    answer = await http.get(
        "/api/slots",
        params={
            "point": point,
            "topic": topic,
            "language": "pl",
            "from": str(today),
            "to": str(today + timedelta(days=days)),
        },
    )
    assert answer.status_code == 200, answer.text
    return [slot["start"] for slot in answer.json()["slots"]]


def spaced(starts: list[str], hours: int = 2) -> list[str]:
    """Starts far enough apart that no two bookings compete for one consultant."""
    chosen: list[str] = []
    for start in starts:
        at = datetime.fromisoformat(start)
        if not chosen or at - datetime.fromisoformat(chosen[-1]) >= timedelta(hours=hours):
            chosen.append(start)
    return chosen


def phone(n: int) -> str:
    return f"+48 601 {200 + n // 1000:03d} {n % 1000:03d}"


async def book_for_caller(
    http: httpx.AsyncClient, headers: dict, point: int, topic: int, start: str, n: int
) -> dict:
    answer = await http.post(
        "/api/staff/appointments",
        headers=headers,
        json={
            "point": point,
            "topic": topic,
            "language": "pl",
            "channel": "phone",
            "start": start,
            "phone": phone(n),
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def hold(http: httpx.AsyncClient, point: int, topic: int, start: str, n: int) -> dict:
    answer = await http.post(
        "/api/appointments",
        json={
            "point": point,
            "topic": topic,
            "language": "pl",
            "start": start,
            "phone": phone(n),
            "channel": "online",
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()
