"""Three independent iCalendar parsers, each reduced to {UID: (start, end)} in UTC.

icalendar and vobject are Python; ical.js is Mozilla's (Thunderbird's), run through node
from tests/ical_js (installed by ``make install-ical-js`` with npm). vobject keeps the first
VTIMEZONE it reads per TZID for the whole process, so it forgets them before each file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import vobject
from icalendar import Calendar

ICAL_JS = Path(__file__).parent / "ical_js"

Instants = dict[str, tuple[datetime, datetime]]


def with_icalendar(data: bytes) -> Instants:
    return {
        str(e["UID"]): (e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in Calendar.from_ical(data).walk("VEVENT")
    }


def with_vobject(data: bytes) -> Instants:
    getattr(vobject.icalendar, "__tzidMap").clear()
    parsed = vobject.readOne(data.decode())
    return {
        e.uid.value: (e.dtstart.value.astimezone(UTC), e.dtend.value.astimezone(UTC))
        for e in parsed.contents.get("vevent", [])
    }


def with_ical_js(data: bytes) -> Instants:
    node = shutil.which("node")
    assert node, "node is missing: Debian's nodejs package (make install-ical-js)"
    assert (ICAL_JS / "node_modules" / "ical.js").is_dir(), "run make install-ical-js"
    done = subprocess.run(  # noqa: S603 (node, our script, the file on stdin)
        [node, str(ICAL_JS / "read.mjs")],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return {
        e["uid"]: (datetime.fromisoformat(e["start"]), datetime.fromisoformat(e["end"]))
        for e in json.loads(done.stdout)
    }


READERS = {"icalendar": with_icalendar, "vobject": with_vobject, "ical.js": with_ical_js}


def in_every_reader(data: bytes) -> Instants:
    """What all three parsers agree on; fails naming the parser that reads otherwise."""
    found = {name: read(data) for name, read in READERS.items()}
    first = found["icalendar"]
    for name, instants in found.items():
        assert instants == first, f"{name} reads {instants}, icalendar {first}"
    return first
