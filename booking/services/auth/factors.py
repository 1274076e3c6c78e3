"""The second factor: a TOTP app (RFC 6238, 30-second steps, 6 digits).

Enrolment stores a new secret sealed (booking/sealing.py) and pending; the first correct
code confirms it and yields the recovery codes. A code counts once: the step it belongs to
is written in the same statement that accepts it, so a code seen over a shoulder or sent
twice at once is refused the second time. Coordinators and admins must have a factor;
consultants may (LOKET_FACTOR_FOR_ALL=on requires it of everyone).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno

from booking.db.rows import fetch_tuples
from booking.db.tables import StaffAccount
from booking.db.transactions import write_transaction
from booking.domain.policy import Policy
from booking.sealing import Unsealable, seal, unseal
from booking.services.auth import recovery

PURPOSE = "totp"
ISSUER = "Loket"
STEP_SECONDS = 30
#: Steps either side of now still accepted: phones' clocks drift.
DRIFT_STEPS = 1

#: Accepts the step only if no later or equal step was accepted before.
TAKE_STEP = (
    "UPDATE staff_account SET factor_step = {}"
    " WHERE id = {} AND factor_step < {} AND factor_enrolled_at IS NOT NULL RETURNING id"
)


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the enrolment page shows: the QR code, and the secret for typing in."""

    secret: str
    svg: str


def required(role: str, for_all: bool) -> bool:
    return for_all or role in (StaffAccount.COORDINATOR, StaffAccount.ADMIN)


async def _row(account_id: int) -> dict | None:
    return (
        await StaffAccount.select(
            StaffAccount.email, StaffAccount.factor_secret, StaffAccount.factor_enrolled_at
        )
        .where(StaffAccount.id == account_id)
        .first()
    )


def _open(policy: Policy, account_id: int, sealed: str) -> str | None:
    try:
        return unseal(policy.secret, PURPOSE, f"account:{account_id}", sealed)
    except Unsealable:
        return None


async def is_enrolled(account_id: int) -> bool:
    row = await _row(account_id)
    return bool(row and row["factor_enrolled_at"] is not None)


async def begin(policy: Policy, account_id: int) -> Enrolment:
    """The pending secret (a new one unless one is already waiting) with its QR code.
    An enrolled factor is never replaced here: a coordinator resets it first."""
    row = await _row(account_id)
    secret = _open(policy, account_id, row["factor_secret"]) if row["factor_secret"] else None
    if secret is None or row["factor_enrolled_at"] is not None:
        secret = pyotp.random_base32()
        await StaffAccount.update(
            {
                StaffAccount.factor_secret: seal(
                    policy.secret, PURPOSE, f"account:{account_id}", secret
                ),
                StaffAccount.factor_enrolled_at: None,
                StaffAccount.factor_step: 0,
            }
        ).where((StaffAccount.id == account_id) & StaffAccount.factor_enrolled_at.is_null())
    uri = pyotp.TOTP(secret).provisioning_uri(name=row["email"], issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#1a1a1a", light="#ffffff")
    return Enrolment(secret=secret, svg=svg)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    code = "".join(code.split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


async def confirm(policy: Policy, account_id: int, code: str, now: datetime) -> list[str] | None:
    """Enrols the pending secret when ``code`` matches it: the new recovery codes, or None."""
    row = await _row(account_id)
    if row is None or row["factor_enrolled_at"] is not None or not row["factor_secret"]:
        return None
    secret = _open(policy, account_id, row["factor_secret"])
    step = _matching_step(secret, code[:20], now) if secret else None
    if step is None:
        return None
    async with write_transaction():
        done = await fetch_tuples(
            "UPDATE staff_account SET factor_enrolled_at = {}, factor_step = {}"
            " WHERE id = {} AND factor_enrolled_at IS NULL RETURNING id",
            now,
            step,
            account_id,
        )
    if not done:
        return None
    return await recovery.issue(policy, account_id)


async def check(policy: Policy, account_id: int, code: str, now: datetime) -> bool:
    """True for a current code of the enrolled factor not used before, or an unused
    recovery code (used up now)."""
    row = await _row(account_id)
    if row is None or row["factor_enrolled_at"] is None:
        return False
    code = code[:40]
    secret = _open(policy, account_id, row["factor_secret"])
    step = _matching_step(secret, code, now) if secret else None
    if step is not None:
        async with write_transaction():
            return bool(await fetch_tuples(TAKE_STEP, step, account_id, step))
    return await recovery.spend(policy, account_id, code, now)


async def reset(account_id: int) -> None:
    """No factor any more; the person enrols again at the next login."""
    await StaffAccount.update(
        {
            StaffAccount.factor_secret: "",
            StaffAccount.factor_enrolled_at: None,
            StaffAccount.factor_step: 0,
        }
    ).where(StaffAccount.id == account_id)
    await recovery.discard(account_id)
