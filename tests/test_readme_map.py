"""tests/README.md stays a true map of the suite and of README's promises (issue 11).

It fails when a folder or file of the suite is missing from the map, when the map names one
that does not exist, when README's feature list gains a line without its section under
"README's promises", when a promise there names no test, and when a test named there does
not exist.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
MAP = ROOT / "tests" / "README.md"
#: Made by tools, not written: never part of the map.
GENERATED = {"__pycache__", "node_modules", ".hypothesis", ".pytest_cache"}
MAPPED_SUFFIXES = {".py", ".mjs", ".json"}


def section(text: str, heading: str) -> str:
    """The text under ``## heading`` up to the next ``## ``."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def suite_paths() -> set[str]:
    """Every folder and file of the suite, as the map writes them."""
    found = set()
    for path in (ROOT / "tests").rglob("*"):
        parts = path.relative_to(ROOT).parts
        if GENERATED & set(parts) or path.name == "__init__.py" or path == MAP:
            continue
        if path.is_dir():
            found.add("/".join(parts) + "/")
        elif path.suffix in MAPPED_SUFFIXES:
            found.add("/".join(parts))
    return found


def mapped_paths(text: str) -> set[str]:
    return set(re.findall(r"^\| `(tests/[^`]*)` \|", section(text, "The map"), re.M))


def feature_lines(readme: str) -> list[str]:
    """The first words of each line of README's "What is here today" list: the bold part,
    or else the words before the first colon, parenthesis, comma or semicolon."""
    start = readme.index("What is here today")
    block = readme[start : readme.index("\n## ", start)]
    keys = []
    for bullet in re.findall(r"^- (.+)$", block, re.M):
        bold = re.match(r"\*\*(.+?)\*\*", bullet)
        key = bold.group(1) if bold else re.split(r"[:(,;]", bullet)[0]
        keys.append(key.replace("`", "").strip())
    return keys


def promise_headings(text: str) -> list[str]:
    return re.findall(r"^### (.+)$", section(text, "README's promises"), re.M)


def named_tests(text: str) -> list[tuple[str, str | None]]:
    found = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", section(text, "README's promises"))
    return [(path, name or None) for path, name in found]


def test_the_map_names_every_folder_and_file_of_the_suite_and_nothing_else():
    text = MAP.read_text(encoding="utf-8")
    on_disk, mapped = suite_paths(), mapped_paths(text)
    assert sorted(on_disk - mapped) == [], "add these to tests/README.md"
    assert sorted(mapped - on_disk) == [], "tests/README.md names what does not exist"


def test_every_line_of_readme_s_feature_list_has_its_promises_mapped():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys, headings = feature_lines(readme), promise_headings(MAP.read_text(encoding="utf-8"))
    assert len(keys) >= 10, keys  # the list itself was found
    assert [k for k in keys if k not in headings] == [], "map these README lines"
    assert [h for h in headings if h not in keys] == [], "README no longer says these"


def test_every_promise_names_the_tests_that_check_it():
    """A heading or a promise without a test would look mapped and check nothing."""
    text = section(MAP.read_text(encoding="utf-8"), "README's promises")
    untested = [
        line
        for line in re.findall(r"^- .+$", text, re.M)
        if not re.search(r"`tests/[\w/]+\.py(?:::\w+)?`", line)
    ]
    assert untested == []
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        assert re.search(r"^- ", body, re.M), f"{heading}: no promise listed"


def test_every_test_the_promises_name_exists():
    missing = []
    for path, name in named_tests(MAP.read_text(encoding="utf-8")):
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name and not re.search(rf"^(async )?def {name}\(", file.read_text("utf-8"), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []
