"""STOP and START: numbers that want no texts, kept as keyed hashes, checked before each send."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from booking.db.tables import SmsOptOut
from booking.db.transactions import is_unique_violation
from booking.domain.policy import Policy


def key(policy: Policy, phone: str) -> str:
    return policy.keyed_hash("sms-opt-out", phone)


async def stop(policy: Policy, phone: str, now: datetime) -> None:
    try:
        await SmsOptOut.insert(SmsOptOut(key_hash=key(policy, phone), created_at=now))
    except Exception as error:
        if not is_unique_violation(error):
            raise


async def start(policy: Policy, phone: str) -> None:
    await SmsOptOut.delete().where(SmsOptOut.key_hash == key(policy, phone))


async def stopped(policy: Policy, phones: Iterable[str]) -> set[str]:
    """Which of ``phones`` have opted out."""
    keys = {key(policy, p): p for p in phones}
    if not keys:
        return set()
    rows = await SmsOptOut.select(SmsOptOut.key_hash).where(SmsOptOut.key_hash.is_in(list(keys)))
    return {keys[r["key_hash"]] for r in rows}
