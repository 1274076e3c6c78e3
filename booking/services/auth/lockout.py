"""Failed logins counted without races, per account and per client address.

Each decision is one statement, so concurrent tries cannot lose a count or slip between
reading the lock and writing it (30 concurrent wrong passwords used to leave the counter at
2). An account locks for LOCK_FOR after MAX_FAILURES wrong passwords; a correct password
with a correct second factor lifts that lock, so anybody typing wrong passwords cannot keep
the real person out. A client address gets ADDRESS_FAILURES tries in ADDRESS_WINDOW before
it hears 429: its tries are counted under a keyed hash in ``rate_event`` before the password
is checked, so a burst is refused while it is still running.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from booking.db.rows import fetch_tuples
from booking.db.tables import RateEvent
from booking.db.transactions import write_transaction
from booking.domain.errors import N_, LimitReached
from booking.domain.policy import Policy

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
ADDRESS_FAILURES = 20
ADDRESS_WINDOW = timedelta(minutes=15)

#: One wrong password; the count restarts once it has locked the account. A locked account
#: is left as it is, so wrong passwords cannot extend the lock.
COUNT_FAILURE = (
    "UPDATE staff_account SET"
    " failed_logins = CASE WHEN failed_logins + 1 >= {} THEN 0 ELSE failed_logins + 1 END,"
    " locked_until = CASE WHEN failed_logins + 1 >= {} THEN {} ELSE locked_until END"
    " WHERE id = {} AND (locked_until IS NULL OR locked_until <= {})"
    " RETURNING locked_until"
)
#: A correct password on an unlocked account: the count starts again. No row: locked.
CLEAR_IF_UNLOCKED = (
    "UPDATE staff_account SET failed_logins = 0"
    " WHERE id = {} AND (locked_until IS NULL OR locked_until <= {}) RETURNING id"
)
LIFT = "UPDATE staff_account SET failed_logins = 0, locked_until = NULL WHERE id = {}"


class TooManyLogins(LimitReached):
    code = "too_many_logins"
    message = N_("Too many login attempts from here. Please try again in %(minutes)s minutes.")

    def __init__(self, field: str | None = None, *, retry_after: int) -> None:
        super().__init__(field, minutes=max(1, -(-retry_after // 60)))
        self.retry_after = retry_after


async def _write(sql: str, *args: object) -> list:
    async with write_transaction():
        return list(await fetch_tuples(sql, *args))


async def count_failure(account_id: int, now: datetime) -> None:
    await _write(COUNT_FAILURE, MAX_FAILURES, MAX_FAILURES, now + LOCK_FOR, account_id, now)


async def clear_if_unlocked(account_id: int, now: datetime) -> bool:
    """True, with the count reset, when the account is not locked at ``now``."""
    return bool(await _write(CLEAR_IF_UNLOCKED, account_id, now))


async def lift(account_id: int) -> None:
    """Ends a lock: after a full login with the second factor, or by a coordinator."""
    await _write(LIFT, account_id)


async def count_try(policy: Policy, address: str | None, now: datetime) -> int | None:
    """Counts a login try from ``address`` before its password is checked; raises
    TooManyLogins when the address had its share. Returns the event's id, which a
    successful login gives back with ``forget_try``."""
    if not policy.limits.per_address or not address:
        return None
    key = policy.keyed_hash("address", address)
    since = now - ADDRESS_WINDOW
    async with write_transaction():
        await RateEvent.delete().where(
            (RateEvent.kind == RateEvent.LOGIN) & (RateEvent.created_at <= since)
        )
        event = (
            await RateEvent.insert(RateEvent(kind=RateEvent.LOGIN, key_hash=key, created_at=now))
        )[0]["id"]
    # Only the tries counted before this one: in a burst the first ADDRESS_FAILURES go on
    # (and lock the account they guess at), whichever request's count runs first.
    (count, oldest), *_ = await fetch_tuples(
        "SELECT COUNT(*), MIN(created_at) FROM rate_event"
        " WHERE kind = {} AND key_hash = {} AND created_at > {} AND id <= {}",
        RateEvent.LOGIN,
        key,
        since,
        event,
    )
    if count > ADDRESS_FAILURES:
        oldest = datetime.fromisoformat(oldest) if isinstance(oldest, str) else oldest or now
        raise TooManyLogins("email", retry_after=_seconds_until(oldest + ADDRESS_WINDOW, now))
    return event


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds()))


async def forget_try(event: int | None) -> None:
    """A try that proved the password does not count against its address."""
    if event is not None:
        await RateEvent.delete().where(RateEvent.id == event)
