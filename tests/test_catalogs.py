"""Catalogs stay in step with the code: nothing untranslated, nothing stale, formats intact.

Two domains (booking/message_catalogs.py): ``messages`` for every UI language, ``staff``
for the staff languages only.
"""

import pytest
from babel.messages.pofile import read_po

from booking.i18n import (
    DOMAIN,
    LOCALE_DIR,
    STAFF_DOMAIN,
    STAFF_LANGUAGES,
    UI_LANGUAGES,
    gettext,
    translations,
)
from booking.message_catalogs import catalog_languages, is_staff, templates

PUBLIC = catalog_languages(DOMAIN)
STAFF = catalog_languages(STAFF_DOMAIN)


def key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def catalog(lang: str, domain: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as po:
        return read_po(po, locale=lang, domain=domain)


def template_ids(domain: str) -> set[str]:
    with (LOCALE_DIR / f"{domain}.pot").open("rb") as pot:
        return {key(m) for m in read_po(pot) if m.id}


@pytest.fixture(scope="module")
def extracted():
    return {domain: {key(m) for m in pot if m.id} for domain, pot in templates().items()}


def test_sixteen_languages_and_the_staff_ones_among_them():
    assert len(UI_LANGUAGES) == 16 and "ar" in UI_LANGUAGES
    assert set(STAFF_LANGUAGES) <= set(UI_LANGUAGES) and "en" in STAFF_LANGUAGES
    assert len(PUBLIC) == 15 and "en" not in PUBLIC and "en" not in STAFF


@pytest.mark.parametrize("domain", [DOMAIN, STAFF_DOMAIN])
def test_pot_is_up_to_date(domain, extracted):
    assert extracted[domain] == template_ids(domain), "run `make messages`"


def test_the_split_follows_where_a_string_comes_from(extracted):
    assert "There is no such page." in extracted[DOMAIN]
    assert "Audit log" in extracted[STAFF_DOMAIN]
    assert not extracted[DOMAIN] & extracted[STAFF_DOMAIN]
    assert is_staff({"templates/staff/agenda.html", "booking/reports/tables.py"})
    assert not is_staff({"templates/staff/agenda.html", "templates/times.html"})


def check_complete(lang: str, domain: str) -> None:
    entries = {key(m): m for m in catalog(lang, domain) if m.id}
    assert set(entries) == template_ids(domain), "run `make messages`"
    untranslated = [
        k
        for k, m in entries.items()
        if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert not untranslated
    assert not [k for k, m in entries.items() if m.fuzzy]
    problems = [(m.id, errors) for m, errors in catalog(lang, domain).check()]
    assert not problems


@pytest.mark.parametrize("lang", PUBLIC)
def test_every_public_string_is_translated_and_well_formed(lang):
    check_complete(lang, DOMAIN)


@pytest.mark.parametrize("lang", STAFF)
def test_every_staff_string_is_translated_and_well_formed(lang):
    check_complete(lang, STAFF_DOMAIN)


def test_no_staff_catalog_outside_the_staff_languages():
    assert sorted(
        p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/staff.po")
    ) == sorted(STAFF)


@pytest.mark.parametrize("lang", [lang for lang in UI_LANGUAGES if lang != "en"])
def test_every_translated_language_has_a_translation_note(lang):
    note = LOCALE_DIR / lang / "NOTES.md"
    assert note.exists(), f"locale/{lang}/NOTES.md says who made and who reviews {lang}"
    text = note.read_text()
    assert "review" in text.lower() and "December 2026" in text


def test_fallback_is_chosen_then_english():
    assert gettext("There is no such page.", "pl") == "Taka strona nie istnieje."
    assert gettext("There is no such page.", "de") == "There is no such page."
    assert translations("pl").gettext("not in any catalog") == "not in any catalog"


def test_one_translations_object_serves_both_domains():
    assert gettext("Audit log", "pl") == "Dziennik audytu"
    assert gettext("There is no such page.", "pl") == "Taka strona nie istnieje."
    assert gettext("Audit log", "lt") == "Audit log"
