"""Password hashing with argon2id.

A miss on an unknown address verifies a dummy hash, so it costs what a wrong password costs
and accounts cannot be discovered by timing.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from booking.domain.errors import N_, InvalidInput

HASHER = PasswordHasher()
#: Verified when the email is unknown, so a miss costs what a wrong password costs.
DUMMY_HASH = HASHER.hash("no such account")
MIN_PASSWORD = 12


class WeakPassword(InvalidInput):
    code = "weak_password"
    message = N_("Please choose a password of at least %(length)s characters.")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword("password", length=MIN_PASSWORD)
    return HASHER.hash(password)


def verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
