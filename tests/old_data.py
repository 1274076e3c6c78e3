"""A year of old appointments, written in bulk: what the first retention run meets (issue 12).

Each appointment has its own contact (number and first name), a manage link and two sent
texts with provider ids: the personal data retention empties, in the shape a year leaves. Used by the retention tests and by ``bench/retention.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from booking.db.rows import insert_returning_id
from booking.db.tables import Appointment, Message, MigrantContact, Point, Region, Topic
from booking.db.transactions import write_transaction

CHUNK = 500
#: How far back the oldest appointment lies: a year before the newest old one.
YEAR = timedelta(days=365)


async def old_place(slug: str = "old") -> tuple[int, int]:
    """A region, a point and a topic for the old appointments."""
    async with write_transaction():
        region = (await Region.insert(Region(code=slug, name=slug.title())))[0]["id"]
        point = (
            await Point.insert(Point(region=region, slug=slug, name=slug.title(), kind="physical"))
        )[0]["id"]
        topic = (await Topic.insert(Topic(slug=slug, name={"en": slug.title()})))[0]["id"]
    return point, topic


async def seed_old_year(point: int, topic: int, count: int, newest: datetime) -> None:
    """``count`` done appointments spread over the year before ``newest``."""
    step = YEAR / max(count, 1)
    for first in range(0, count, CHUNK):
        numbers = range(first, min(first + CHUNK, count))
        starts = [newest - YEAR + step * n for n in numbers]
        async with write_transaction():
            contacts = await insert_returning_id(
                MigrantContact,
                [
                    {"phone": f"+48602{n:06d}", "language": "pl", "first_name": "Kasia",
                     "created_at": s}
                    for n, s in zip(numbers, starts, strict=True)
                ],
            )  # fmt: skip
            appointments = await insert_returning_id(
                Appointment,
                [
                    {
                        "point": point, "topic": topic, "contact": c, "language": "pl",
                        "channel": "online", "status": "done", "starts_at": s,
                        "ends_at": s + timedelta(minutes=30), "sequence": 0, "code_attempts": 0,
                        "manage_token_hash": f"{n:064x}", "manage_salt": f"{n:032x}",
                        "created_at": s - timedelta(days=3), "updated_at": s,
                    }
                    for n, c, s in zip(numbers, contacts, starts, strict=True)
                ],
            )  # fmt: skip
            await insert_returning_id(
                Message,
                [
                    {
                        "channel": "sms", "kind": kind, "language": "pl",
                        "body": f"{kind} for Kasia {n}", "appointment": a,
                        "appointment_sequence": 0, "contact": c, "status": "sent",
                        "due_at": s - timedelta(days=1), "attempts": 1,
                        "provider_id": f"SM{n:030x}{i}", "created_at": s - timedelta(days=3),
                        "sent_at": s - timedelta(days=1),
                    }
                    for n, a, c, s in zip(numbers, appointments, contacts, starts, strict=True)
                    for i, kind in enumerate(("confirmation", "reminder"))
                ],
            )  # fmt: skip
