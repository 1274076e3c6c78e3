"""What the browser carries between the two legs of a sign-in: state, nonce and PKCE
verifier in one signed cookie that lasts 10 minutes, so nothing is stored server-side.

The value is unpadded base64url, so Set-Cookie carries it bare: Litestar quotes a value with
``=`` in it, and only some cookie readers take the quotes off again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.services.auth.oidc.errors import SsoRejected

COOKIE = "loket_sso"
LIFETIME = timedelta(minutes=10)
_PURPOSE = b"loket-sso-state\0"


@dataclass(frozen=True, slots=True)
class Pending:
    """One sign-in in progress: each value is fresh and random."""

    state: str
    nonce: str
    verifier: str
    expires_at: datetime

    @classmethod
    def new(cls, now: datetime) -> Pending:
        return cls(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            # RFC 7636: 43 to 128 characters; 48 random bytes give 64.
            verifier=secrets.token_urlsafe(48),
            expires_at=now + LIFETIME,
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: str, payload: str) -> str:
    return _b64(hmac.new(key.encode(), _PURPOSE + payload.encode(), hashlib.sha256).digest())


def seal(pending: Pending, key: str) -> str:
    payload = _b64(
        json.dumps(
            {
                "s": pending.state,
                "n": pending.nonce,
                "v": pending.verifier,
                "e": int(pending.expires_at.timestamp()),
            },
            separators=(",", ":"),
        ).encode()
    )
    return f"{payload}.{_signature(key, payload)}"


def unseal(value: str, key: str, now: datetime) -> Pending:
    """The sign-in this cookie holds; SsoRejected when missing, altered or older than 10 min."""
    payload, _, signature = value.partition(".")
    expected = _signature(key, payload).encode()
    if not payload or not hmac.compare_digest(signature.encode(), expected):
        raise SsoRejected("state")
    data = json.loads(_unb64(payload))
    expires_at = datetime.fromtimestamp(data["e"], tz=now.tzinfo)
    if expires_at <= now:
        raise SsoRejected("state")
    return Pending(state=data["s"], nonce=data["n"], verifier=data["v"], expires_at=expires_at)
