"""What a reply to our texts means, in the person's own words: a table per language.

A reply is understood whatever its case, accents or surrounding punctuation ("Stop!",
"anuleaza", "ОТМЯНА", "١"): both the reply and the table are normalised the same way
(``normalise``). The numbers' language does not matter for understanding: every word of
every language counts, so the table may hold no word that means two actions in two
languages (checked when this module loads). Ambiguous words are left out or resolved:

- "no" words (NIE pl/sk, NE cs/lt, НЕ bg, NU ro, NEE nl, NO en/es, НІ uk, НЕТ ru, NEM hu,
  NĒ lv, NÃO pt, HAYIR tr, لا ar) answer a reminder: "I will not come", i.e. 2 = cancel.
  They never mean STOP: no more texts is asked for with STOP or the language's own word.
- "yes" words (TAK pl/uk, DA ro/bg/ru, JA nl, YES en, ...) mean 1 = I come. YES is also
  Twilio's opt-in word, which Twilio handles on its side; START restarts our texts.
- English CANCEL stays a STOP word, as it is for Twilio and the carriers, so that our
  records agree with theirs; the other languages' cancel words cancel the appointment.
"""

from __future__ import annotations

import unicodedata
from enum import Enum


class Reply(Enum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    #: 1: "I come", to a reminder.
    YES = "yes"
    #: 2: cancel the reminded appointment.
    CANCEL = "cancel"


STOP, START, HELP, YES, CANCEL = Reply

#: Every language's words, as people write them; the digits answer a reminder everywhere.
KEYWORDS: dict[str, dict[Reply, tuple[str, ...]]] = {
    "any": {STOP: ("STOP",), START: ("START",), YES: ("1",), CANCEL: ("2",)},
    "en": {
        STOP: ("STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"),
        START: ("UNSTOP",),
        HELP: ("HELP", "INFO"),
        YES: ("YES", "I COME"),
        CANCEL: ("NO",),
    },
    "nl": {
        STOP: ("STOPPEN", "AFMELDEN"),
        START: ("AANMELDEN",),
        HELP: ("HULP",),
        YES: ("JA", "IK KOM"),
        CANCEL: ("NEE", "ANNULEREN", "ANNULEER", "AFZEGGEN"),
    },
    "pl": {
        STOP: ("WYPISZ",),
        HELP: ("POMOC",),
        YES: ("TAK", "PRZYJDĘ"),
        CANCEL: ("NIE", "ODWOŁAJ", "ODWOŁAM", "ODWOŁUJĘ", "ANULUJ"),
    },
    "ro": {
        HELP: ("AJUTOR",),
        YES: ("DA", "VIN"),
        CANCEL: ("NU", "ANULEZ", "ANULEAZĂ", "ANULARE"),
    },
    "bg": {
        STOP: ("СТОП",),
        START: ("СТАРТ",),
        HELP: ("ПОМОЩ",),
        YES: ("ДА", "ИДВАМ"),
        CANCEL: ("НЕ", "ОТКАЗВАМ", "ОТМЕНИ", "ОТМЯНА"),
    },
    "uk": {
        STOP: ("СТОП",),
        START: ("СТАРТ",),
        HELP: ("ДОПОМОГА",),
        YES: ("ТАК", "ПРИЙДУ"),
        CANCEL: ("НІ", "СКАСУВАТИ", "СКАСУЮ"),
    },
    "lt": {
        HELP: ("PAGALBA",),
        YES: ("TAIP", "ATEISIU"),
        CANCEL: ("NE", "ATŠAUKTI", "ATŠAUKIU"),
    },
    "lv": {
        HELP: ("PALĪDZĪBA",),
        YES: ("JĀ", "IERADĪŠOS"),
        CANCEL: ("NĒ", "ATCELT", "ATCEĻU"),
    },
    "hu": {
        STOP: ("LEIRATKOZÁS",),
        HELP: ("SEGÍTSÉG", "SÚGÓ"),
        YES: ("IGEN", "JÖVÖK"),
        CANCEL: ("NEM", "LEMONDOM", "LEMONDÁS"),
    },
    "sk": {
        HELP: ("POMOC",),
        YES: ("ÁNO", "PRÍDEM"),
        CANCEL: ("NIE", "ZRUŠIŤ", "ZRUŠÍM"),
    },
    "cs": {
        HELP: ("POMOC", "NÁPOVĚDA"),
        YES: ("ANO", "PŘIJDU"),
        CANCEL: ("NE", "ZRUŠIT", "RUŠÍM"),
    },
    "pt": {
        STOP: ("PARAR",),
        HELP: ("AJUDA",),
        YES: ("SIM", "VOU"),
        CANCEL: ("NÃO", "CANCELAR"),
    },
    "es": {
        STOP: ("PARAR", "BAJA"),
        HELP: ("AYUDA",),
        YES: ("SÍ", "VOY"),
        CANCEL: ("NO", "CANCELAR", "CANCELO"),
    },
    "ru": {
        STOP: ("СТОП",),
        START: ("СТАРТ",),
        HELP: ("ПОМОЩЬ",),
        YES: ("ДА", "ПРИДУ"),
        CANCEL: ("НЕТ", "ОТМЕНА", "ОТМЕНИТЬ", "ОТМЕНЯЮ"),
    },
    "tr": {
        STOP: ("DUR", "DURDUR"),
        START: ("BAŞLAT",),
        HELP: ("YARDIM",),
        YES: ("EVET", "GELİYORUM"),
        CANCEL: ("HAYIR", "İPTAL"),
    },
    "ar": {
        STOP: ("توقف", "إيقاف"),
        START: ("ابدأ", "بدء"),
        HELP: ("مساعدة",),
        YES: ("نعم", "سأحضر"),
        CANCEL: ("لا", "إلغاء"),
    },
}

_PUNCTUATION = frozenset(".,!?;:¡¿'\"()[]«»„“”‘’-–—…؟،")
#: Letters without a decomposition that people write bare: ł -> l, dotless ı -> i, ...
_BARE = str.maketrans({"ł": "l", "đ": "d", "ı": "i", "ø": "o", "ß": "ss", "ـ": "", "ى": "ي"})


def normalise(text: str) -> str:
    """Case, accents, surrounding punctuation and spacing removed; any script's digits as
    ASCII digits (Arabic-Indic ١ -> 1)."""
    bare = "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() else c
        for c in unicodedata.normalize("NFKD", text.casefold())
        if not unicodedata.combining(c)
    )
    words = bare.translate(_BARE).split()
    return " ".join(words).strip("".join(_PUNCTUATION))


def _index() -> dict[str, Reply]:
    index: dict[str, Reply] = {}
    for language, actions in KEYWORDS.items():
        for action, words in actions.items():
            for word in words:
                key = normalise(word)
                if index.setdefault(key, action) is not action:
                    raise ValueError(f"{word!r} ({language}) means {index[key]} elsewhere")
    return index


INDEX = _index()


def understood(body: str) -> Reply | None:
    """What ``body`` asks for; None when it is not a keyword (the help text answers)."""
    return INDEX.get(normalise(body))
