"""The two catalog domains and `make messages` (scripts/messages): extract, split, update.

Migrants see only ``messages``; strings that come only from staff sources live in ``staff``,
so a new migrant language needs only what migrants read. A msgid is a staff msgid iff every
place it is extracted from is under one of STAFF_SOURCES. When a string moves from one domain
to the other its translations move with it: nothing translated is ever lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from booking.i18n import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LOCALE_DIR,
    STAFF_DOMAIN,
    STAFF_LANGUAGES,
    UI_LANGUAGES,
)
from booking.settings import PROJECT_ROOT

#: Sources of staff-only strings (paths relative to the project root).
STAFF_SOURCES: tuple[str, ...] = (
    "templates/staff/",
    "booking/web/staff/",
    "booking/services/auth/",
    "booking/services/audit/",
    "booking/services/onboarding/",
    "booking/reports/",
)
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
TITLES = {DOMAIN: "interface", STAFF_DOMAIN: "staff"}
HEADER = {"project": "Loket", "version": "0.1", "last_translator": "Loket team"}


def extracted(root: Path = PROJECT_ROOT) -> dict[str, tuple[Message, set[str]]]:
    """Every msgid in the code, with its message (plural ids kept) and the files it is in."""
    with (LOCALE_DIR / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, tuple[Message, set[str]]] = {}
    for filename, _, message, _, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        entry = found.setdefault(key, (Message(message, context=context), set()))
        entry[1].add(filename.replace("\\", "/"))
    return found


def is_staff(files: Iterable[str]) -> bool:
    return all(name.startswith(STAFF_SOURCES) for name in files)


def templates(root: Path = PROJECT_ROOT) -> dict[str, Catalog]:
    """The two .pot catalogs, public and staff, as the code has them now."""
    pots = {DOMAIN: Catalog(domain=DOMAIN), STAFF_DOMAIN: Catalog(domain=STAFF_DOMAIN)}
    for message, files in extracted(root).values():
        pot = pots[STAFF_DOMAIN if is_staff(files) else DOMAIN]
        pot.add(message.id, None, context=message.context)
    return pots


def po_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path, language: str | None = None, domain: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=language, domain=domain)


def write(path: Path, catalog: Catalog, *, omit_header: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(
            po,
            catalog,
            width=0,
            no_location=True,
            omit_header=omit_header,
            sort_output=True,
            ignore_obsolete=True,
        )


def known_translations(language: str) -> dict[str, Message]:
    """Every translated entry of ``language`` in either domain, so a moved string keeps it."""
    known: dict[str, Message] = {}
    for domain in (DOMAIN, STAFF_DOMAIN):
        path = po_path(language, domain)
        if path.exists():
            for message in read(path, language, domain):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and all(strings) and not message.fuzzy:
                    known[message.id if isinstance(message.id, str) else message.id[0]] = message
    return known


def updated(language: str, domain: str, pot: Catalog, known: dict[str, Message]) -> Catalog:
    """``language``'s catalog of ``domain`` in step with ``pot``; empty entries filled from
    the other domain's translations (by msgid and plural id, so a changed plural is redone)."""
    path = po_path(language, domain)
    catalog = (
        read(path, language, domain)
        if path.exists()
        else Catalog(
            locale=language,
            domain=domain,
            language_team=language,
            header_comment=f"# Loket {TITLES[domain]} texts ({language}).",
            revision_date=datetime.now(UTC),
            fuzzy=False,
            **HEADER,
        )
    )
    # Catalog.update adopts the template's Message objects: give each catalog its own.
    catalog.update(deepcopy(pot), no_fuzzy_matching=True, update_creation_date=False)
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        source = known.get(message.id if isinstance(message.id, str) else message.id[0])
        if message.id and not any(strings) and source is not None and source.id == message.id:
            message.string = source.string
    return catalog


def catalog_languages(domain: str) -> list[str]:
    """Languages with a catalog of ``domain``: staff only for STAFF_LANGUAGES; English is
    the source and has none."""
    wanted = STAFF_LANGUAGES if domain == STAFF_DOMAIN else UI_LANGUAGES
    return [lang for lang in wanted if lang != DEFAULT_LANGUAGE]


def update_all() -> None:
    """What `make messages` does: both .pot files, then every catalog of both domains."""
    pots = templates()
    for domain, pot in pots.items():
        write(LOCALE_DIR / f"{domain}.pot", pot, omit_header=True)
    languages = {lang for domain in pots for lang in catalog_languages(domain)}
    fresh = {lang: known_translations(lang) for lang in languages}
    for domain, pot in pots.items():
        for language in catalog_languages(domain):
            write(po_path(language, domain), updated(language, domain, pot, fresh[language]))
