"""Staff logins: argon2id passwords, lock-out after repeated failures, server-side sessions.

A session token lives in an HttpOnly cookie (or a Bearer header for API clients); only its
hash is stored. Failed logins answer the same whether the email exists or not, and take as
long, so accounts cannot be discovered.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from booking.db.tables import StaffAccount, StaffSession
from booking.domain.errors import N_, InvalidInput, LoketError

HASHER = PasswordHasher()
#: Verified when the email is unknown, so a miss costs what a wrong password costs.
_DUMMY_HASH = HASHER.hash("no such account")
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
#: How often a session's last use is written: not on every request.
TOUCH_EVERY = timedelta(minutes=5)
MIN_PASSWORD = 12


class LoginFailed(LoketError):
    code = "login_failed"
    message = N_("This email address and password do not match, or the account is locked.")


class WeakPassword(InvalidInput):
    code = "weak_password"
    message = N_("Please choose a password of at least %(length)s characters.")


@dataclass(frozen=True, slots=True)
class Account:
    """The logged-in staff member, as every staff request sees them."""

    id: int
    email: str
    name: str
    role: str
    region_id: int | None
    staff_id: int | None
    language: str

    @property
    def is_admin(self) -> bool:
        return self.role == StaffAccount.ADMIN

    @property
    def is_coordinator(self) -> bool:
        return self.role in (StaffAccount.COORDINATOR, StaffAccount.ADMIN)

    def may_see_region(self, region_id: int | None) -> bool:
        return self.is_admin or (region_id is not None and region_id == self.region_id)


def _account(row: dict) -> Account:
    return Account(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        region_id=row["region"],
        staff_id=row["staff"],
        language=row["language"],
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword("password", length=MIN_PASSWORD)
    return HASHER.hash(password)


async def create_account(
    *,
    email: str,
    name: str,
    password: str,
    role: str,
    region_id: int | None = None,
    staff_id: int | None = None,
    language: str = "nl",
) -> int:
    if role not in StaffAccount.ROLES:
        raise InvalidInput("role")
    if role != StaffAccount.ADMIN and region_id is None:
        raise InvalidInput("region")
    row = StaffAccount(
        email=email.strip().lower(),
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        region=region_id,
        staff=staff_id,
        language=language,
    )
    return (await StaffAccount.insert(row))[0]["id"]


async def log_in(email: str, password: str, now: datetime) -> str:
    """A new session token for a correct, unlocked login; LoginFailed otherwise.

    An address no account can have (control characters, which PostgreSQL refuses to even
    compare) fails like an unknown one, at the same cost.
    """
    email = email.strip().lower()
    row = (
        None
        if not email.isprintable()
        else await StaffAccount.select()
        .where((StaffAccount.email == email) & (StaffAccount.active == True))
        .first()
    )
    if row is None:
        _verify(_DUMMY_HASH, password)
        raise LoginFailed("email")
    if row["locked_until"] is not None and row["locked_until"] > now:
        _verify(_DUMMY_HASH, password)
        raise LoginFailed("email")
    if not _verify(row["password_hash"], password):
        failures = row["failed_logins"] + 1
        locked = now + LOCK_FOR if failures >= MAX_FAILURES else None
        await StaffAccount.update(
            {
                StaffAccount.failed_logins: 0 if locked else failures,
                StaffAccount.locked_until: locked,
            }
        ).where(StaffAccount.id == row["id"])
        raise LoginFailed("email")
    await StaffAccount.update(
        {StaffAccount.failed_logins: 0, StaffAccount.locked_until: None}
    ).where(StaffAccount.id == row["id"])
    token = secrets.token_urlsafe(32)
    await StaffSession.insert(
        StaffSession(
            token_hash=_digest(token),
            account=row["id"],
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def account_for(token: str, now: datetime) -> Account | None:
    """The account behind a live session token, or None."""
    account = StaffSession.account
    row = await (
        StaffSession.select(
            StaffSession.id.as_alias("session"),
            StaffSession.last_seen_at,
            account.id.as_alias("id"),
            account.email.as_alias("email"),
            account.name.as_alias("name"),
            account.role.as_alias("role"),
            account.region.as_alias("region"),
            account.staff.as_alias("staff"),
            account.language.as_alias("language"),
        )
        .where(
            (StaffSession.token_hash == _digest(token))
            & (StaffSession.expires_at > now)
            & (account.active == True)
        )
        .first()
    )
    if row is None:
        return None
    if now - row["last_seen_at"] > TOUCH_EVERY:
        await StaffSession.update({StaffSession.last_seen_at: now}).where(
            StaffSession.id == row["session"]
        )
    return _account(row)


async def log_out(token: str) -> None:
    await StaffSession.delete().where(StaffSession.token_hash == _digest(token))
