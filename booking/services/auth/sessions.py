"""Server-side staff sessions.

A session token lives in an HttpOnly cookie (or a Bearer header for API clients); only its
hash is stored. A session ends 12 hours after the login, or earlier when unused for the
idle time (LOKET_STAFF_IDLE_MINUTES). A session opened by a password alone waits at stage
``code`` or ``setup`` for the second factor, for a few minutes at most, and
``account_for`` never returns its account: it reaches no staff page.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.db.rows import fetch_tuples
from booking.db.tables import StaffSession
from booking.db.transactions import write_transaction
from booking.services.auth.accounts import Account, account_from_row

SESSION_LIFETIME = timedelta(hours=12)
#: How long a login may wait between the password and the second factor.
HALF_LIFETIME = timedelta(minutes=10)
#: How often a session's last use is written: not on every request.
TOUCH_EVERY = timedelta(minutes=5)
#: Wrong codes one half-open session may send before it ends.
MAX_CODE_FAILURES = 5

COUNT_CODE_FAILURE = (
    "UPDATE staff_session SET code_failures = code_failures + 1 WHERE id = {}"
    " RETURNING code_failures"
)


@dataclass(frozen=True, slots=True)
class Found:
    """The session behind a token: whose, at which stage, and its row."""

    account: Account
    stage: str
    session_id: int


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(account_id: int, now: datetime, stage: str = StaffSession.FULL) -> str:
    """A new session for an account whose identity has been proven (password and second
    factor, or single sign-on), or a half-open one at ``stage``; only the token's hash is
    stored."""
    token = secrets.token_urlsafe(32)
    lifetime = SESSION_LIFETIME if stage == StaffSession.FULL else HALF_LIFETIME
    await StaffSession.insert(
        StaffSession(
            token_hash=digest(token),
            account=account_id,
            stage=stage,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


async def session_for(token: str, now: datetime, idle: timedelta) -> Found | None:
    """The live session behind ``token`` at whatever stage, or None."""
    if not token or not token.isascii():
        return None
    account = StaffSession.account
    row = await (
        StaffSession.select(
            StaffSession.id.as_alias("session"),
            StaffSession.stage,
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
            (StaffSession.token_hash == digest(token))
            & (StaffSession.expires_at > now)
            & (StaffSession.last_seen_at > now - idle)
            & (account.active == True)
        )
        .first()
    )
    if row is None:
        return None
    if now - row["last_seen_at"] > min(TOUCH_EVERY, idle / 5):
        await StaffSession.update({StaffSession.last_seen_at: now}).where(
            StaffSession.id == row["session"]
        )
    return Found(account_from_row(row), row["stage"], row["session"])


async def account_for(token: str, now: datetime, idle: timedelta) -> Account | None:
    """The account behind a live, fully logged-in session token, or None."""
    found = await session_for(token, now, idle)
    return found.account if found and found.stage == StaffSession.FULL else None


async def count_code_failure(session_id: int) -> bool:
    """Counts a wrong second-factor code; True (and the session ended) when it was one too
    many. One statement, so concurrent guesses cannot share a count."""
    async with write_transaction():
        rows = await fetch_tuples(COUNT_CODE_FAILURE, session_id)
    if rows and rows[0][0] >= MAX_CODE_FAILURES:
        await StaffSession.delete().where(StaffSession.id == session_id)
        return True
    return False


async def promote(session_id: int, account_id: int, now: datetime) -> str:
    """The half-open session ends and a full one starts, with a new token: the token that
    waited for the code never becomes a login."""
    await StaffSession.delete().where(StaffSession.id == session_id)
    return await start_session(account_id, now)


async def purge(now: datetime, idle: timedelta) -> int:
    """Deletes the sessions no request can use any more (past their lifetime, idle too long,
    or a half login left at the code page): the table holds live sessions only."""
    gone = (
        await StaffSession.delete()
        .where((StaffSession.expires_at <= now) | (StaffSession.last_seen_at <= now - idle))
        .returning(StaffSession.id)
    )
    return len(gone)


async def log_out(token: str) -> None:
    await StaffSession.delete().where(StaffSession.token_hash == digest(token))


async def end_all(account_id: int) -> None:
    await StaffSession.delete().where(StaffSession.account == account_id)
