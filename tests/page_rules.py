"""What every migrant page must be: small, self-contained and under a strict policy.

Shared by the page tests and their own tests (tests/test_page_rules.py), so that a check
that would let an outside image or a loose policy through is itself caught.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: README promises "at most 3 KB a page" (gzipped): measured with the demo data in December
#: 2026, pages were 2.0-2.5 KB in Polish and Dutch and up to 2.8 KB in Ukrainian with the
#: style sheet inline; it is a cached file of its own since sixteen languages (issue 14).
BOOKING_PAGE_BUDGET = 3 * 1024
#: Attributes that make a browser load or go somewhere.
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "background"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]?([^'\";\s]+)", re.I)


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.scripts = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                parts = value.split(",") if name == "srcset" else [value]
                self.urls.extend(p.strip().split(" ")[0] for p in parts if p.strip())
            elif name == "style":
                self.urls.extend(_css_urls(value))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(_css_urls(data))


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


def outside_references(html: str, own_origin: str | None = None) -> list[str]:
    """Every URL in the page that leaves the site: absolute, protocol-relative or a scheme
    other than a same-site path, a fragment or an inline image. ``own_origin`` (the
    installation's PUBLIC_BASE_URL) is the site itself: the manage link is shown in full."""
    parser = _Urls()
    parser.feed(html)
    found = [f"<script> x{parser.scripts}"] if parser.scripts else []
    own = f"{own_origin.rstrip('/').lower()}/" if own_origin else None
    for url in parser.urls:
        lowered = url.strip().lower()
        if lowered.startswith("data:image/") or (own and lowered.startswith(own)):
            continue
        if lowered.startswith(("#", "?")) or (
            lowered.startswith("/") and not lowered.startswith("//")
        ):
            continue
        if not re.match(r"^[a-z][a-z0-9+.-]*:", lowered) and not lowered.startswith("//"):
            continue  # a relative path such as "book" stays on the site
        found.append(url)
    return found


def policy(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def policy_problems(header: str) -> list[str]:
    """Why a Content-Security-Policy is looser than a page of Loket may have."""
    rules = policy(header)
    problems = []
    if rules.get("default-src") != ["'none'"]:
        problems.append("default-src must be 'none'")
    for name in ("script-src", "script-src-elem", "script-src-attr"):
        if name in rules and rules[name] != ["'none'"]:
            problems.append(f"{name} allows scripts")
    for name, sources in rules.items():
        for source in sources:
            if source == "*" or source.startswith(("http:", "https:", "//")) or "://" in source:
                problems.append(f"{name} allows {source}")
            if source in ("'unsafe-eval'",) or (
                source == "'unsafe-inline'" and name != "style-src"
            ):
                problems.append(f"{name} allows {source}")
    for name, wanted in (
        ("frame-ancestors", ["'none'"]),
        ("base-uri", ["'none'"]),
        ("form-action", ["'self'"]),
    ):
        if rules.get(name) != wanted:
            problems.append(f"{name} must be {' '.join(wanted)}")
    return problems
