"""Joining the waiting list and leaving it: the phone number is proved by the same SMS code
as a booking; the entry's place in the line is the moment the code was entered."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.db.rows import fetch_tuples, insert_returning_id
from booking.db.tables import MigrantContact, Point, Region, WaitingEntry, WaitlistOffer
from booking.db.transactions import is_sqlite, write_transaction
from booking.domain.errors import (
    AppointmentNotFound,
    CodeTriesUsedUp,
    InvalidInput,
    UnknownPoint,
    UnknownTopic,
    WrongCode,
)
from booking.domain.languages import service_language
from booking.domain.phone import masked, mobile_e164
from booking.domain.policy import Policy
from booking.domain.waitlist import Windows
from booking.notify import outbox, placeholders, texts
from booking.notify.texts import code_message
from booking.notify.whatsapp import templates
from booking.services import limits, verification
from booking.services.point_setup import Catalog, current_revision
from booking.services.views import locked_appointment, token_hash

#: The longest stay on the list (issue 17): four weeks.
MAX_WEEKS = 4


@dataclass(frozen=True, slots=True)
class JoinRequest:
    phone: str
    language: str
    topic_id: int
    windows: Windows
    weeks: int = MAX_WEEKS
    #: How the person wants our texts, the code and the offers: SMS or WhatsApp.
    text_channel: str = MigrantContact.SMS
    #: One point, or any point of a region: exactly one of the two.
    point_id: int | None = None
    region_id: int | None = None


@dataclass(frozen=True, slots=True)
class Joined:
    """The entry just made; its token (never stored) leads to the code page."""

    entry_id: int
    token: str
    status: str


async def join(catalog: Catalog, policy: Policy, request: JoinRequest, *, now: datetime) -> Joined:
    """Puts the person on the list, waiting for the code sent to ``phone``.

    Raises:
        InvalidInput and its kinds (phone, topic, point or region, weeks), TooManyCodes.
    """
    phone = mobile_e164(request.phone)
    language = service_language(request.language)
    if not 1 <= request.weeks <= MAX_WEEKS:
        raise InvalidInput("weeks")
    if request.text_channel not in MigrantContact.TEXT_CHANNELS:
        raise InvalidInput("text_channel")
    await _check_place(catalog, request)
    token = secrets.token_urlsafe(12)
    hashed = token_hash(token)
    code, code_hash = verification.new_code(policy, hashed)
    async with write_transaction():
        await limits.check_codes(policy, phone, now)
        [contact_id] = await insert_returning_id(
            MigrantContact,
            [
                {
                    "phone": phone,
                    "language": language,
                    "first_name": None,
                    "text_channel": request.text_channel,
                    "created_at": now,
                }
            ],
        )
        [entry_id] = await insert_returning_id(
            WaitingEntry,
            [
                {
                    "contact": contact_id,
                    "language": language,
                    "topic": request.topic_id,
                    "point": request.point_id,
                    "region": request.region_id,
                    "windows": str(request.windows),
                    "status": WaitingEntry.VERIFYING,
                    "token_hash": hashed,
                    "code_hash": code_hash,
                    "code_attempts": 0,
                    "created_at": now,
                    "joined_at": None,
                    "expires_at": now + timedelta(weeks=request.weeks),
                    "updated_at": now,
                }
            ],
        )
        await _queue_code(policy, code, contact_id, language, now)
    return Joined(entry_id, token, WaitingEntry.VERIFYING)


async def _check_place(catalog: Catalog, request: JoinRequest) -> None:
    if (request.point_id is None) == (request.region_id is None):
        raise InvalidInput("point")
    revision = await current_revision()
    if request.topic_id not in await catalog.topics(revision):
        raise UnknownTopic("topic")
    if request.point_id is not None:
        info = (await catalog.point_infos(revision)).get(request.point_id)
        if info is None or not info.active:
            raise UnknownPoint("point")
    elif not await Region.exists().where(Region.id == request.region_id):
        raise UnknownPoint("region")


async def _queue_code(policy: Policy, code: str, contact_id: int, language: str, now: datetime):
    minutes = int(policy.hold.total_seconds() // 60)
    name, variables = templates.stored(
        texts.CODE, language, code=placeholders.CODE, minutes=minutes
    )
    await outbox.enqueue(
        kind="code",
        language=language,
        body=code_message(placeholders.CODE, minutes, language),
        template=name,
        variables=variables,
        seed=placeholders.seal_code(policy, code),
        contact_id=contact_id,
        due_at=now,
    )


async def locked_entry(token: str) -> dict:
    """The entry the token names, locked until the transaction ends (PostgreSQL)."""
    query = WaitingEntry.select().where(WaitingEntry.token_hash == token_hash(token))
    if not is_sqlite():
        query = query.lock_rows("UPDATE")
    row = await query.first()
    if row is None:
        raise AppointmentNotFound("token")
    return row


async def entry(token: str) -> dict:
    """What the entry's page shows: its status, until when, and the number masked."""
    row = await (
        WaitingEntry.select(
            WaitingEntry.status,
            WaitingEntry.expires_at,
            WaitingEntry.windows,
            WaitingEntry.contact.phone.as_alias("phone"),
        )
        .where(WaitingEntry.token_hash == token_hash(token))
        .first()
    )
    if row is None:
        raise AppointmentNotFound("token")
    return {**row, "phone": masked(row["phone"]) if row["phone"] else ""}


async def verify(policy: Policy, token: str, code: str, *, now: datetime) -> str:
    """Puts a verifying entry in the line if ``code`` is right; returns the entry's status.

    Raises:
        WrongCode with the tries left; CodeTriesUsedUp when the last try was wrong (the entry
        is then left); a code entered after the hold time is still accepted: nothing is held.
    """
    async with write_transaction():
        row = await locked_entry(token)
        if row["status"] != WaitingEntry.VERIFYING:
            return row["status"]
        expected = row["code_hash"] or ""
        if hmac.compare_digest(
            policy.keyed_hash("code", row["token_hash"], code.strip()), expected
        ):
            await WaitingEntry.update(
                {
                    WaitingEntry.status: WaitingEntry.WAITING,
                    WaitingEntry.code_hash: None,
                    WaitingEntry.joined_at: now,
                    WaitingEntry.updated_at: now,
                }
            ).where(WaitingEntry.id == row["id"])
            return WaitingEntry.WAITING
        [(attempts,)] = await fetch_tuples(
            "UPDATE waiting_entry SET code_attempts = code_attempts + 1 WHERE id = {}"
            " RETURNING code_attempts",
            row["id"],
        )
        if attempts >= policy.max_code_attempts:
            await end(row["id"], WaitingEntry.LEFT, now)
            left = 0
        else:
            left = policy.max_code_attempts - attempts
    if not left:
        raise CodeTriesUsedUp("code", num=policy.max_code_attempts)
    raise WrongCode("code", num=left)


async def leave(token: str, *, now: datetime) -> None:
    """Takes the entry off the list; a live offer's hold ends with it. Harmless twice."""
    row = await entry_row(token)
    async with write_transaction():
        await end(row["id"], WaitingEntry.LEFT, now)


async def entry_row(token: str) -> dict:
    row = await WaitingEntry.select().where(WaitingEntry.token_hash == token_hash(token)).first()
    if row is None:
        raise AppointmentNotFound("token")
    return row


async def end(entry_id: int, status: str, now: datetime) -> None:
    """Inside a write transaction: a verifying or waiting entry ends; its live offer is
    withdrawn and the hold ended. Locks in the offers' one order (the held appointment, then
    the offer, then the entry), so it never waits in a cycle with a booking from an offer."""
    live = await WaitlistOffer.select(WaitlistOffer.appointment).where(
        (WaitlistOffer.entry == entry_id) & (WaitlistOffer.status == WaitlistOffer.LIVE)
    )
    for offer in live:
        await locked_appointment(offer["appointment"])
    withdrawn = (
        await WaitlistOffer.update({WaitlistOffer.status: WaitlistOffer.WITHDRAWN})
        .where((WaitlistOffer.entry == entry_id) & (WaitlistOffer.status == WaitlistOffer.LIVE))
        .returning(WaitlistOffer.appointment)
    )
    for offer in withdrawn:
        await verification.end_hold(offer["appointment"], now)
    await WaitingEntry.update(
        {WaitingEntry.status: status, WaitingEntry.code_hash: None, WaitingEntry.updated_at: now}
    ).where(
        (WaitingEntry.id == entry_id)
        & WaitingEntry.status.is_in([WaitingEntry.VERIFYING, WaitingEntry.WAITING])
    )


async def point_ids(entry: dict) -> frozenset[int]:
    """The points an entry waits at: its point, or the active points of its region."""
    if entry["point"] is not None:
        return frozenset({entry["point"]})
    rows = await Point.select(Point.id).where(
        (Point.region == entry["region"]) & (Point.active == True)
    )
    return frozenset(r["id"] for r in rows)
