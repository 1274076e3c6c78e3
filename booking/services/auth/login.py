"""A staff login, step by step: the password, then (where there is one) the second factor.

Failed logins answer the same whether the email exists or not, and take as long, so
accounts cannot be discovered. A correct password alone reaches no staff page while the
account has a factor (stage ``code``) or must enrol one (stage ``setup``); on a locked
account it opens the way only to the code, and the correct code lifts the lock.
"""

from __future__ import annotations

from datetime import datetime

from booking.db.tables import StaffAccount, StaffSession
from booking.domain.errors import N_, InvalidInput, NotAuthenticated
from booking.domain.policy import Policy
from booking.services.auth import factors, lockout, sessions
from booking.services.auth.passwords import DUMMY_HASH, verify


class LoginFailed(NotAuthenticated):
    code = "login_failed"
    message = N_("This email address and password do not match, or the account is locked.")


class CodeWrong(NotAuthenticated):
    code = "code_wrong"
    message = N_("This code is not right, or it was used already. Please try the next one.")


class CodeNeeded(InvalidInput):
    code = "code_needed"
    message = N_("Please also send the code from your authenticator app.")


class FactorSetupNeeded(InvalidInput):
    code = "factor_setup_needed"
    message = N_("Please log in on the back office's page once to set up your second factor.")


async def check_password(
    policy: Policy,
    email: str,
    password: str,
    now: datetime,
    *,
    address: str | None,
    factor_for_all: bool,
) -> tuple[int, str, int | None]:
    """The account, the stage its login reaches (``full``, ``code`` or ``setup``) and the
    counted try (for ``lockout.forget_try`` once the login is complete), or LoginFailed. An address no account can have (control characters, which PostgreSQL
    refuses to even compare) fails like an unknown one, at the same cost."""
    attempt = await lockout.count_try(policy, address, now)
    email = email.strip().lower()
    row = (
        None
        if not email.isprintable()
        else await StaffAccount.select(
            StaffAccount.id,
            StaffAccount.password_hash,
            StaffAccount.role,
            StaffAccount.factor_enrolled_at,
        )
        .where((StaffAccount.email == email) & (StaffAccount.active == True))
        .first()
    )
    if not await verify(row["password_hash"] if row else DUMMY_HASH, password) or row is None:
        if row is not None:
            await lockout.count_failure(row["id"], now)
        raise LoginFailed("email")
    if row["factor_enrolled_at"] is not None:
        return row["id"], StaffSession.CODE, attempt
    if not await lockout.clear_if_unlocked(row["id"], now):
        raise LoginFailed("email")
    if factors.required(row["role"], factor_for_all):
        return row["id"], StaffSession.SETUP, attempt
    return row["id"], StaffSession.FULL, attempt


async def log_in(
    policy: Policy,
    email: str,
    password: str,
    now: datetime,
    *,
    address: str | None = None,
    factor_for_all: bool = False,
) -> tuple[str, str]:
    """A new session's token and stage after a correct password (the pages' first step);
    the code step counts its own tries."""
    account_id, stage, attempt = await check_password(
        policy, email, password, now, address=address, factor_for_all=factor_for_all
    )
    await lockout.forget_try(attempt)
    return await sessions.start_session(account_id, now, stage), stage


async def prove_factor(
    policy: Policy, found: sessions.Found, code: str, now: datetime, address: str | None
) -> str:
    """The second step: a full session's token for a correct code (or recovery code), which
    also lifts a lock. A wrong code counts against the address and the half-open session,
    which ends after a few."""
    attempt = await lockout.count_try(policy, address, now)
    if not await factors.check(policy, found.account.id, code, now):
        if await sessions.count_code_failure(found.session_id):
            raise LoginFailed("code")
        raise CodeWrong("code")
    await lockout.forget_try(attempt)
    await lockout.lift(found.account.id)
    return await sessions.promote(found.session_id, found.account.id, now)


async def log_in_api(
    policy: Policy,
    email: str,
    password: str,
    code: str | None,
    now: datetime,
    *,
    address: str | None = None,
    factor_for_all: bool = False,
) -> str:
    """Both steps in one request, for the staff API: a full session's token."""
    account_id, stage, attempt = await check_password(
        policy, email, password, now, address=address, factor_for_all=factor_for_all
    )
    if stage == StaffSession.SETUP or (stage == StaffSession.CODE and not code):
        await lockout.forget_try(attempt)  # the password was right: no guess to count
        raise FactorSetupNeeded("code") if stage == StaffSession.SETUP else CodeNeeded("code")
    if stage == StaffSession.CODE:
        if not await factors.check(policy, account_id, code, now):
            await lockout.count_failure(account_id, now)
            raise LoginFailed("code")
        await lockout.lift(account_id)
    await lockout.forget_try(attempt)
    return await sessions.start_session(account_id, now)
