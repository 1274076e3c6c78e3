"""Logins and server-side sessions.

A session token lives in an HttpOnly cookie (or a Bearer header for API clients); only its
hash is stored. Failed logins answer the same whether the email exists or not, and take as
long, so accounts cannot be discovered.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from booking.db.tables import StaffAccount, StaffSession
from booking.domain.errors import N_, LoketError
from booking.services.auth.accounts import Account, account_from_row
from booking.services.auth.passwords import DUMMY_HASH, verify

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
#: How often a session's last use is written: not on every request.
TOUCH_EVERY = timedelta(minutes=5)


class LoginFailed(LoketError):
    code = "login_failed"
    message = N_("This email address and password do not match, or the account is locked.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
        verify(DUMMY_HASH, password)
        raise LoginFailed("email")
    if row["locked_until"] is not None and row["locked_until"] > now:
        verify(DUMMY_HASH, password)
        raise LoginFailed("email")
    if not verify(row["password_hash"], password):
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
    return await start_session(row["id"], now)


async def start_session(account_id: int, now: datetime) -> str:
    """A new session for an account whose identity has been proven (password, or single
    sign-on); only the token's hash is stored."""
    token = secrets.token_urlsafe(32)
    await StaffSession.insert(
        StaffSession(
            token_hash=_digest(token),
            account=account_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token


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
    return account_from_row(row)


async def log_out(token: str) -> None:
    await StaffSession.delete().where(StaffSession.token_hash == _digest(token))
