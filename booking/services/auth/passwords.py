"""Password hashing with argon2id, off the event loop.

One argon2 check takes 64 MiB and tens of milliseconds of CPU; on the event loop a burst of
logins stalled every other request (30 at once held /health for 10 s). Hashing and checking
run in a small thread pool (LOKET_PASSWORD_THREADS; argon2-cffi releases the GIL), so a
burst queues for the pool while everything else goes on.

A miss on an unknown address verifies a dummy hash, so it costs what a wrong password costs
and accounts cannot be discovered by timing.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from booking.domain.errors import N_, InvalidInput
from booking.settings import get_settings

HASHER = PasswordHasher()
#: Verified when the email is unknown, so a miss costs what a wrong password costs.
DUMMY_HASH = HASHER.hash("no such account")
MIN_PASSWORD = 12


class WeakPassword(InvalidInput):
    code = "weak_password"
    message = N_("Please choose a password of at least %(length)s characters.")


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=get_settings().password_threads, thread_name_prefix="passwords"
    )


def _check(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword("password", length=MIN_PASSWORD)
    return await asyncio.get_running_loop().run_in_executor(_pool(), HASHER.hash, password)


async def verify(stored: str, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_pool(), _check, stored, password)
