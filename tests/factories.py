"""Small builders for the rows tests need, with defaults that say what matters."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time

from booking.db.tables import (
    Agency,
    AgencyHours,
    AgencyTopic,
    Message,
    OpeningException,
    OpeningHours,
    Point,
    Region,
    StaffMember,
    StaffPoint,
    StaffSchedule,
    Topic,
)
from booking.domain.policy import Policy
from booking.notify import placeholders
from booking.settings import get_settings

ALL_WEEK = range(7)


def hhmm(text: str) -> time:
    return time.fromisoformat(text)


async def region(code: str = "noordoost-brabant") -> int:
    return (await Region.insert(Region(code=code, name=code.title())))[0]["id"]


async def point(
    region_id: int,
    slug: str = "veghel",
    hours: Iterable[tuple[Iterable[int], str, str]] = ((ALL_WEEK, "09:00", "21:00"),),
    kind: str = Point.PHYSICAL,
    closed_on_holidays: bool = True,
) -> int:
    point_id = (
        await Point.insert(
            Point(
                region=region_id,
                slug=slug,
                name=f"Point {slug}",
                kind=kind,
                address="Kennedylaan 21",
                city="Veghel",
                closed_on_holidays=closed_on_holidays,
                description={"nl": "Informatiepunt", "en": "Information point"},
            )
        )
    )[0]["id"]
    rows = [
        OpeningHours(point=point_id, weekday=d, opens=hhmm(a), closes=hhmm(b))
        for days, a, b in hours
        for d in days
    ]
    if rows:
        await OpeningHours.insert(*rows)
    return point_id


async def topic(slug: str = "housing", minutes: int = 30) -> int:
    return (
        await Topic.insert(
            Topic(
                slug=slug,
                name={"en": "Housing", "nl": "Wonen", "pl": "Mieszkanie"},
                description={"en": "Rent and rooms"},
                duration_minutes=minutes,
            )
        )
    )[0]["id"]


async def staff(
    point_id: int,
    languages: Iterable[str],
    kind: str = StaffMember.CONSULTANT,
    hours: Iterable[tuple[Iterable[int], str, str]] = ((ALL_WEEK, "09:00", "21:00"),),
    name: str | None = None,
    modes: Iterable[str] = (),
    email: str = "",
    region: int | None = None,
) -> int:
    languages = list(languages)
    staff_id = (
        await StaffMember.insert(
            StaffMember(
                name=name or f"{kind} {'/'.join(languages)}",
                kind=kind,
                languages=languages,
                interpreter_modes=list(modes),
                email=email,
                region=region,
            )
        )
    )[0]["id"]
    await StaffPoint.insert(StaffPoint(staff=staff_id, point=point_id))
    shifts = [
        StaffSchedule(staff=staff_id, point=point_id, weekday=d, starts=hhmm(a), ends=hhmm(b))
        for days, a, b in hours
        for d in days
    ]
    if shifts:
        await StaffSchedule.insert(*shifts)
    return staff_id


async def agency(
    region_id: int | None,
    slug: str = "gemeente",
    *,
    emails: Iterable[str] = ("burgerzaken@gemeente.example", "intake@gemeente.example"),
    hours: Iterable[tuple[Iterable[int], str, str, int]] = (((1, 3), "17:00", "21:00", 2),),
    topics: Iterable[int] = (),
    by_arrangement: bool = False,
) -> int:
    """An agency taking handovers in ``hours`` (days, opens, closes, how many at once)."""
    first, *others = list(emails) or [""]
    agency_id = (
        await Agency.insert(
            Agency(
                slug=slug,
                name=f"Gemeente {slug.title()}",
                email=first,
                other_emails=others,
                address="Stadhuisplein 1, Veghel",
                region=region_id,
                by_arrangement=by_arrangement,
            )
        )
    )[0]["id"]
    rows = [
        AgencyHours(agency=agency_id, weekday=d, opens=hhmm(a), closes=hhmm(b), capacity=c)
        for days, a, b, c in hours
        for d in days
    ]
    if rows:
        await AgencyHours.insert(*rows)
    for topic_id in topics:
        await AgencyTopic.insert(AgencyTopic(agency=agency_id, topic=topic_id))
    return agency_id


async def exception(
    point_id: int, day: date, kind: str, opens: str | None = None, closes: str | None = None
) -> None:
    await OpeningException.insert(
        OpeningException(
            point=point_id,
            day=day,
            kind=kind,
            opens=hhmm(opens) if opens else None,
            closes=hhmm(closes) if closes else None,
        )
    )


async def sms_code(appointment_id: int | None = None) -> str:
    """The code from the newest code message, as the migrant reads it on their phone: the
    outbox keeps it sealed until the message is sent (booking/notify/placeholders.py)."""
    query = Message.select(Message.body, Message.seed).where(Message.kind == Message.CODE)
    if appointment_id is not None:
        query = query.where(Message.appointment == appointment_id)
    row = await query.order_by(Message.id, ascending=False).first()
    policy = Policy.from_settings(get_settings())
    text = placeholders.fill(policy, row["body"], link=None, seed=row["seed"])
    assert text is not None, "the code message was sent: read the code from what the sender got"
    return re.search(r"\b(\d{6})\b", text).group(1)


async def as_sent(message_id: int) -> str:
    """A stored SMS as it goes out: with its manage link and code (while it waits)."""
    row = await (
        Message.select(Message.body, Message.seed, Message.appointment.manage_salt.as_alias("salt"))
        .where(Message.id == message_id)
        .first()
    )
    policy = Policy.from_settings(get_settings())
    link = placeholders.manage_link(policy, row["salt"])
    return placeholders.fill(policy, row["body"], link=link, seed=row["seed"])
