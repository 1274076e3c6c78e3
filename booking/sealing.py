"""Secrets at rest that a copy of the database alone cannot use.

AES-GCM with a key derived by HKDF from LOKET_SECRET_KEY, one key per purpose. The
associated data names what the secret belongs to (e.g. ``account:12``), so a sealed value
copied into another row does not open. Low-level on purpose: services and notify/ may
both use it.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: Marks the format, so a later one (another cipher, a rotated key) can be told apart.
VERSION = "s1."
NONCE_BYTES = 12


class Unsealable(ValueError):
    """The value was sealed under another key or for something else, or was changed."""


def _key(secret: bytes, purpose: str) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"loket:{purpose}".encode()
    ).derive(secret)
    return AESGCM(derived)


def seal(secret: bytes, purpose: str, belongs_to: str, plaintext: str) -> str:
    """``plaintext`` encrypted and authenticated, as ASCII text for a column."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = _key(secret, purpose).encrypt(nonce, plaintext.encode(), belongs_to.encode())
    return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(secret: bytes, purpose: str, belongs_to: str, text: str) -> str:
    """The plaintext ``seal`` was given.

    Raises:
        Unsealable: another key, purpose or owner sealed it, or it was changed.
    """
    if not text.startswith(VERSION):
        raise Unsealable(purpose)
    try:
        raw = base64.urlsafe_b64decode(text.removeprefix(VERSION).encode())
        opened = _key(secret, purpose).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], belongs_to.encode()
        )
    except (InvalidTag, ValueError) as error:
        raise Unsealable(purpose) from error
    return opened.decode()
