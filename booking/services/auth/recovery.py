"""One-time recovery codes: ten per enrolment, shown once, kept as keyed hashes.

A code stands in for the second factor when the phone is lost; each works once (one
statement marks it used, so two requests cannot both spend it).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from booking.db.rows import fetch_tuples
from booking.db.tables import RecoveryCode
from booking.db.transactions import write_transaction
from booking.domain.policy import Policy

COUNT = 10
#: Without look-alikes (0/o, 1/l/i), read aloud or typed from paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
#: Longest input still worth hashing: "xxxxx-xxxxx" with spaces around.
MAX_INPUT = 24

SPEND = (
    "UPDATE recovery_code SET used_at = {}"
    " WHERE account = {} AND code_hash = {} AND used_at IS NULL RETURNING id"
)


def _normal(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _hash(policy: Policy, account_id: int, code: str) -> str:
    return policy.keyed_hash("recovery", account_id, _normal(code))


async def issue(policy: Policy, account_id: int) -> list[str]:
    """Ten new codes, replacing any earlier ones; only their hashes are stored."""
    codes = [
        "-".join("".join(secrets.choice(ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(COUNT)
    ]
    async with write_transaction():
        await RecoveryCode.delete().where(RecoveryCode.account == account_id)
        await RecoveryCode.insert(
            *(
                RecoveryCode(account=account_id, code_hash=_hash(policy, account_id, c))
                for c in codes
            )
        )
    return codes


async def spend(policy: Policy, account_id: int, code: str, now: datetime) -> bool:
    """True when ``code`` is one of the account's unused codes; it is used up now."""
    if len(code) > MAX_INPUT or not code.isascii() or len(_normal(code)) != 10:
        return False
    async with write_transaction():
        rows = await fetch_tuples(SPEND, now, account_id, _hash(policy, account_id, code))
    return bool(rows)


async def left(account_id: int) -> int:
    return await RecoveryCode.count().where(
        (RecoveryCode.account == account_id) & (RecoveryCode.used_at.is_null())
    )


async def discard(account_id: int) -> None:
    await RecoveryCode.delete().where(RecoveryCode.account == account_id)
