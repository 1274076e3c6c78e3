"""Limits against abuse: a bot must not be able to hold all evening slots (issue 3).

Per phone number: live appointments and code messages per hour (always on). Per client
address: holds per hour, counted in ``rate_event`` under a keyed hash of the address, so
limits hold across processes without storing addresses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from booking.db.rows import fetch_tuples
from booking.db.tables import RateEvent
from booking.domain.errors import TooManyAppointments, TooManyCodes, TooManyHolds
from booking.domain.policy import Policy

HOUR = timedelta(hours=1)

#: Both counts for one number in one round trip: live appointments, codes in the last hour.
PHONE_COUNTS = (
    "SELECT"
    " (SELECT COUNT(*) FROM appointment a JOIN migrant_contact c ON c.id = a.contact"
    "  WHERE c.phone = {} AND a.starts_at > {}"
    "  AND (a.status = 'confirmed' OR (a.status = 'held' AND a.held_until > {}))),"
    " (SELECT COUNT(*) FROM message m JOIN migrant_contact c ON c.id = m.contact"
    "  WHERE c.phone = {} AND m.kind = 'code' AND m.created_at > {})"
)


async def phone_counts(phone: str, now: datetime) -> tuple[int, int]:
    (live, codes), *_ = await fetch_tuples(PHONE_COUNTS, phone, now, now, phone, now - HOUR)
    return live, codes


async def check_phone(policy: Policy, phone: str, now: datetime) -> None:
    """Raises when ``phone`` has too many live appointments or got too many codes lately."""
    live, codes = await phone_counts(phone, now)
    if live >= policy.limits.max_live_per_phone:
        raise TooManyAppointments("phone", limit=policy.limits.max_live_per_phone)
    if codes >= policy.limits.codes_per_hour:
        raise TooManyCodes("phone")


async def check_codes(policy: Policy, phone: str, now: datetime) -> None:
    if (await phone_counts(phone, now))[1] >= policy.limits.codes_per_hour:
        raise TooManyCodes("phone")


async def count_hold(policy: Policy, address: str | None, now: datetime) -> None:
    """Counts a hold by ``address``; raises when the address already used its hour's share."""
    if not policy.limits.per_address or not address:
        return
    key = policy.keyed_hash("address", address)
    await RateEvent.delete().where(RateEvent.created_at < now - HOUR)
    recent = await RateEvent.count().where(
        (RateEvent.kind == RateEvent.HOLD)
        & (RateEvent.key_hash == key)
        & (RateEvent.created_at > now - HOUR)
    )
    if recent >= policy.limits.holds_per_hour_per_address:
        raise TooManyHolds("address")
    await RateEvent.insert(RateEvent(kind=RateEvent.HOLD, key_hash=key, created_at=now))
