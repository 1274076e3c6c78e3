"""The words of every text message, rendered in the migrant's language at queue time."""

from __future__ import annotations

from booking.domain.errors import N_
from booking.i18n import gettext

CODE = N_("Loket: your code is %(code)s. It is valid for %(minutes)s minutes.")


def code_message(code: str, minutes: int, language: str) -> str:
    return gettext(CODE, language, code=code, minutes=minutes)
