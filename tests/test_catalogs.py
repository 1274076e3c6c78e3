"""Catalogs stay in step with the code: nothing untranslated, nothing stale, formats intact."""

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from booking.i18n import LOCALE_DIR, UI_LANGUAGES, gettext, translations
from booking.settings import PROJECT_ROOT

TRANSLATED = [lang for lang in UI_LANGUAGES if lang != "en"]


def extracted_ids() -> set[str]:
    """What `make messages` would extract now, with the same mapping file."""
    from babel.messages.frontend import parse_mapping_cfg

    with (LOCALE_DIR / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    ids = set()
    for _, _, message, _, _ in extract_from_dir(
        str(PROJECT_ROOT),
        method_map,
        options_map,
        keywords={"N_": None, "gettext": None, "ngettext": (1, 2), "_": None},
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def catalog(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


def template_ids():
    with (LOCALE_DIR / "messages.pot").open("rb") as pot:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}


def test_messages_pot_is_up_to_date():
    assert extracted_ids() == template_ids(), "run `make messages` and translate the new strings"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated_and_well_formed(lang):
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(lang) if m.id}
    assert set(entries) == template_ids(), "run `make messages`"
    untranslated = [
        key
        for key, m in entries.items()
        if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert not untranslated
    assert not [key for key, m in entries.items() if m.fuzzy]
    problems = [(m.id, errors) for m, errors in catalog(lang).check()]
    assert not problems


def test_fallback_is_chosen_then_english():
    assert gettext("There is no such page.", "pl") == "Taka strona nie istnieje."
    assert gettext("There is no such page.", "de") == "There is no such page."
    assert translations("pl").gettext("not in any catalog") == "not in any catalog"
