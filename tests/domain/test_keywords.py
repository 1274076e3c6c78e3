"""Replies in the person's own words: the keyword table, normalised whatever the case,
accents or punctuation, and without a word that means two things in two languages."""

import unicodedata

import pytest

from booking.domain.keywords import INDEX, KEYWORDS, Reply, normalise, understood
from booking.i18n import UI_LANGUAGES

ALL = [
    (language, action, word)
    for language, actions in KEYWORDS.items()
    for action, words in actions.items()
    for word in words
]


def without_marks(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def test_every_language_has_its_own_help_yes_and_cancel_words():
    assert set(KEYWORDS) == {"any", *UI_LANGUAGES}
    for language in UI_LANGUAGES:
        assert {Reply.HELP, Reply.YES, Reply.CANCEL} <= set(KEYWORDS[language]), language


@pytest.mark.parametrize(("language", "action", "word"), ALL)
def test_each_keyword_is_understood_in_any_case_with_or_without_accents(language, action, word):
    for variant in (word, word.lower(), f" {word.title()}! ", without_marks(word).lower() + "."):
        assert understood(variant) is action, (language, variant)


def test_the_issues_words_and_other_scripts():
    assert [understood(w) for w in ("СТОП", "stop", "Stop.", "ДОПОМОГА", "стоп")] == [
        Reply.STOP,
        Reply.STOP,
        Reply.STOP,
        Reply.HELP,
        Reply.STOP,
    ]
    assert [understood(w) for w in ("NIE", "TAK", "AJUTOR", "помощ", "Pomoc")] == [
        Reply.CANCEL,
        Reply.YES,
        Reply.HELP,
        Reply.HELP,
        Reply.HELP,
    ]
    assert understood("ANULEAZĂ") is understood("anuleaza") is Reply.CANCEL
    assert understood("odwolam") is understood("ODWOŁAM") is Reply.CANCEL  # ł written bare
    assert understood("iptal") is understood("İPTAL") is Reply.CANCEL  # Turkish dotted I
    assert understood("١") is Reply.YES and understood("٢") is Reply.CANCEL  # Arabic digits
    assert understood("إلغاء") is understood("الغاء") is Reply.CANCEL  # with or without hamza


def test_other_words_are_not_keywords():
    for text in ("hello?", "", "   ", "3", "stop it", "NO STOP", "nie wiem", "12"):
        assert understood(text) is None, text


def test_no_word_means_two_actions_and_cancel_words_never_stop():
    seen: dict[str, Reply] = {}
    for _, action, word in ALL:
        assert seen.setdefault(normalise(word), action) is action, word
    assert seen == INDEX
    for no in (
        "NIE",
        "NE",
        "НЕ",
        "NU",
        "NEE",
        "NO",
        "НІ",
        "НЕТ",
        "NEM",
        "NĒ",
        "NÃO",
        "HAYIR",
        "لا",
    ):
        assert understood(no) is Reply.CANCEL, no
    assert understood("CANCEL") is Reply.STOP  # as for Twilio and the carriers
