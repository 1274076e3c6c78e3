"""SMS length: the GSM-7 alphabet, segments, and texts kept inside it where the language allows.

A GSM-7 text holds 160 characters (153 per part when split); one character outside it turns
the whole text into UCS-2, 70 characters (67 per part). Polish and Romanian SMS are commonly
written without diacritics, so for Latin-script languages letters outside GSM-7 lose their
marks (ł -> l, ș -> s); Cyrillic stays as it is. CLDR formats bring no-break spaces, which
would force UCS-2 for nothing: they become plain spaces in every language.
"""

from __future__ import annotations

import unicodedata

BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: Characters that take two places (an escape and the character).
EXTENSION = set("^{}\\[~]|€\f")
LATIN_LANGUAGES = frozenset(
    {"nl", "en", "pl", "ro", "lt", "lv", "hu", "sk", "cs", "pt", "es", "tr"}
)
SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "}
PUNCTUATION = {"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "…": "..."}
NO_DECOMPOSITION = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i"}

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def is_gsm7(text: str) -> bool:
    return all(c in BASIC or c in EXTENSION for c in text)


def for_sms(text: str, language: str) -> str:
    """The text as it should travel: plain spaces, and GSM-7 letters where the language allows."""
    text = "".join(SPACES.get(c, c) for c in text)
    if language not in LATIN_LANGUAGES or is_gsm7(text):
        return text
    return "".join(_gsm_letter(c) for c in text)


def _gsm_letter(c: str) -> str:
    if c in BASIC or c in EXTENSION:
        return c
    if c in PUNCTUATION:
        return PUNCTUATION[c]
    if c in NO_DECOMPOSITION:
        return NO_DECOMPOSITION[c]
    bare = "".join(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))
    return bare if bare and is_gsm7(bare) else c


def segments(text: str) -> tuple[str, int]:
    """The encoding ("GSM-7" or "UCS-2") and how many SMS parts the text takes.

    A character is never split across parts: an escaped GSM character (2 septets) or a
    UTF-16 surrogate pair that does not fit the end of a part starts the next, as senders do.
    """
    if is_gsm7(text):
        widths = [2 if c in EXTENSION else 1 for c in text]
        single, part, encoding = GSM_SINGLE, GSM_PART, "GSM-7"
    else:
        widths = [len(c.encode("utf-16-le")) // 2 for c in text]
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "UCS-2"
    if sum(widths) <= single:
        return encoding, 1
    parts, used = 1, 0
    for width in widths:
        if used + width > part:
            parts, used = parts + 1, 0
        used += width
    return encoding, parts
