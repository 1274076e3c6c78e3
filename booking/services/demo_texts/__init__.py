"""The demo's points, bus stops and topics in the 16 languages of place data (issue 14 item 2).

Plain data in JSON files, kept apart so a reviewer per language can read them on their own.
Town and street names stay as on the signs (Latin script). Short and plain, for readers with
little schooling. Per slug: each field ("name", "description", "directions", "place",
"bring") by language code.
"""

from __future__ import annotations

import json
from pathlib import Path

Texts = dict[str, dict[str, dict[str, str]]]


def _load(name: str) -> Texts:
    return json.loads((Path(__file__).parent / f"{name}.json").read_text(encoding="utf-8"))


POINT_TEXTS: Texts = _load("points")
STOP_TEXTS: Texts = _load("stops")
TOPIC_TEXTS: Texts = _load("topics")
