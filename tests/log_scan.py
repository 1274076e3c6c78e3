"""The check that no phone number reaches a log (issue 7): the pattern, and where a test run
writes its logs so that pytest_sessionfinish (tests/conftest.py) can scan all of them.

The in-process logs (root logger at INFO) and the output of every `loket serve` started by
tests/live.py go to one folder per run, named by LOKET_TEST_LOG_DIR so the served processes
find it too.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote

LOG_DIR_VARIABLE = "LOKET_TEST_LOG_DIR"
#: What a phone number looks like in a log line: E.164, with or without spaces or hyphens
#: (+48601234567, +48 601 234 567, +31 6-1234 5678), and Dutch mobile numbers written
#: nationally (0612345678, 06-12345678, 06 1234 5678). Digits glued to letters, or after
#: a hyphen, colon, dot or slash, are ids, tokens and timestamps, not numbers someone typed.
PHONE = re.compile(
    r"(?<![\w+\-:./])"
    r"(?:\+[1-9]\d{0,2}(?:[ \-]?\d){6,13}|06(?:[ \-]?\d){8})"
    r"(?![\w])"
)


def log_dir() -> Path:
    """This run's log folder, made on first use and shared with child processes."""
    path = os.environ.get(LOG_DIR_VARIABLE)
    if not path:
        path = tempfile.mkdtemp(prefix="loket-logs-")
        os.environ[LOG_DIR_VARIABLE] = path
    return Path(path)


def session_log() -> Path:
    """Where this test process's own records go: one file per xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return log_dir() / (f"pytest-{worker}.log" if worker else "pytest.log")


def mask(number: str) -> str:
    """``+48601234567`` -> ``+48•••••567``: what the report may print."""
    return f"{number[:3]}•••••{number[-3:]}"


def numbers_in(line: str) -> list[str]:
    """Numbers as written, and as a URL or form body encodes them (``%2B48601234567``)."""
    found = [m.group(0) for m in PHONE.finditer(line)]
    decoded = unquote(line)
    if decoded != line:
        found += [n for n in (m.group(0) for m in PHONE.finditer(decoded)) if n not in found]
    return found


def hits(paths: Iterable[Path]) -> Iterator[str]:
    """Every log line holding a phone number, as ``file:line: text`` with the number masked."""
    for path in paths:
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, 1):
                if numbers_in(line):
                    masked = PHONE.sub(lambda m: mask(m.group(0)), unquote(line).rstrip())
                    yield f"{path.name}:{number}: {masked}"
