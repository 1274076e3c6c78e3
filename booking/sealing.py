"""Secrets that must be read back later (an SMS code until it is sent), sealed at rest.

AES-256-GCM under a key derived by HKDF-SHA256 from LOKET_SECRET_KEY, one key per
purpose, with the purpose also bound as associated data: a copy of the database alone
opens nothing, and a value sealed for one purpose does not open as another.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from booking.settings import get_settings

#: Marks the format, so a later one (another cipher, a rotated key) can be told apart.
VERSION = "s1."
NONCE_BYTES = 12


class Unsealable(ValueError):
    """The value was not sealed by this installation for this purpose (or was altered)."""


def seal(purpose: str, plaintext: str) -> str:
    """``plaintext`` encrypted and authenticated for ``purpose``, as ASCII text."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(get_settings().secret_key, purpose).encrypt(
        nonce, plaintext.encode(), purpose.encode()
    )
    return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(purpose: str, sealed: str) -> str:
    """The plaintext ``seal(purpose, ...)`` was given.

    Raises:
        Unsealable: another key or purpose sealed it, or it was changed.
    """
    if not sealed.startswith(VERSION):
        raise Unsealable(purpose)
    try:
        raw = base64.urlsafe_b64decode(sealed.removeprefix(VERSION).encode())
        opened = _cipher(get_settings().secret_key, purpose).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode()
        )
    except (InvalidTag, ValueError):
        raise Unsealable(purpose) from None
    return opened.decode()


@lru_cache(maxsize=16)
def _cipher(secret_key: str, purpose: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"loket/{purpose}".encode()
    ).derive(secret_key.encode())
    return AESGCM(key)
