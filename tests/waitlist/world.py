"""A point whose evenings are full, and people joining its waiting list."""

from __future__ import annotations

from datetime import datetime, timedelta

from booking.db.tables import Message
from booking.domain.policy import Policy
from booking.domain.waitlist import from_presets
from booking.notify import placeholders
from booking.services import appointments
from booking.services.appointments import BookingRequest
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from booking.services.waitlist import joining
from booking.settings import get_settings
from tests import factories

#: The point opens on Tuesday evenings only; its consultant speaks the three languages.
EVENINGS = (((1,), "18:00", "20:00"),)
LANGUAGES = ("pl", "ro", "uk")


def policy() -> Policy:
    return Policy.from_settings(get_settings())


async def evening_point() -> tuple[int, int]:
    region = await factories.region()
    point = await factories.point(region, hours=EVENINGS)
    topic = await factories.topic(minutes=60)
    await factories.staff(point, LANGUAGES, hours=EVENINGS)
    return point, topic


async def free_starts(point: int, topic: int, now: datetime, language: str = "pl") -> list:
    p = policy()
    _, slots = await search_slots(
        Catalog(),
        p,
        point_id=point,
        topic_id=topic,
        language=language,
        first=now.date(),
        last=now.date() + timedelta(days=p.horizon_days),
        now=now,
    )
    return [s.start for s in slots]


async def fill(point: int, topic: int, now: datetime) -> list:
    """Books every evening by phone; returns the appointments in time order."""
    booked = []
    while starts := await free_starts(point, topic, now):
        request = BookingRequest(
            point, topic, "pl", starts[0], f"+4860100{len(booked):04d}", channel="phone"
        )
        booked.append(await appointments.book_confirmed(Catalog(), policy(), request, now=now))
    return booked


async def on_the_list(point: int, topic: int, phone: str, language: str, now: datetime) -> str:
    """Joins with weekday evenings and enters the texted code; returns the entry's token."""
    request = joining.JoinRequest(
        phone=phone,
        language=language,
        topic_id=topic,
        windows=from_presets(["evenings"]),
        point_id=point,
    )
    joined = await joining.join(Catalog(), policy(), request, now=now)
    await joining.verify(policy(), joined.token, await factories.sms_code(), now=now)
    return joined.token


async def offers_sent() -> list[dict]:
    """The offer texts in the outbox, oldest first, with their link and language."""
    rows = (
        await Message.select(
            Message.id,
            Message.language,
            Message.body,
            Message.contact.phone.as_alias("phone"),
            Message.appointment.manage_salt.as_alias("salt"),
            Message.appointment.starts_at.as_alias("starts_at"),
        )
        .where(Message.kind == Message.OFFER)
        .order_by(Message.id)
    )
    p = policy()
    for row in rows:
        link = p.offer_url(p.manage_token(row["salt"]))
        row["token"] = p.manage_token(row["salt"])
        row["text"] = placeholders.fill(p, row["body"], link=link, seed=None)
    return rows
