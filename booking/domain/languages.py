"""The languages appointments can be held in, as BCP 47 codes (DOMAIN.md: staff members)."""

from booking.domain.errors import UnsupportedLanguage

#: Languages the information points serve; Dutch and English count like any other.
SERVICE_LANGUAGES: tuple[str, ...] = (
    "nl", "en", "pl", "ro", "bg", "uk", "lt", "lv", "hu", "sk", "cs", "pt", "es", "ru", "tr", "ar",
)  # fmt: skip


def service_language(code: str) -> str:
    """The normalised code (``PL`` -> ``pl``), or UnsupportedLanguage."""
    normalised = code.strip().lower().replace("_", "-")
    if normalised not in SERVICE_LANGUAGES:
        raise UnsupportedLanguage("language", language=code)
    return normalised
