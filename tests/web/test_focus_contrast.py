"""The keyboard focus ring is visible (WCAG 2.1, 1.4.11): at least 3:1 against white and
every background in the two layouts, worked out from the CSS colours with WCAG's formula.
Issue 16: #ff9f1c on white was about 2:1."""

import re

import pytest

from booking.settings import PROJECT_ROOT

LAYOUTS = ("booking/web/stylesheet/loket.css", "templates/staff/base.html")


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb or #rgb colour."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def styles(layout: str) -> tuple[str, dict[str, str]]:
    """The migrant pages' style sheet is a file; the staff layout's is inline."""
    text = (PROJECT_ROOT / layout).read_text()
    found = re.search(r"<style>(.*?)</style>", text, re.S)
    css = found.group(1) if found else text
    variables = dict(re.findall(r"--([\w-]+):(#[0-9a-fA-F]{3,6})", css))
    return css, variables


def resolved(value: str, variables: dict[str, str]) -> str:
    found = re.fullmatch(r"var\(--([\w-]+)\)", value.strip())
    return variables[found.group(1)] if found else value.strip()


def test_the_wcag_formula_matches_known_ratios():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#ff9f1c", "#fff") == pytest.approx(2.05, abs=0.01)  # the old ring
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_focus_ring_has_3_to_1_against_every_background(layout):
    css, variables = styles(layout)
    [ring] = re.findall(r"(?:^|\})\s*:focus-visible\{outline:\d+px solid (#[0-9a-fA-F]{3,6})", css)
    # What a ring (drawn 2px outside its control) lies on: the page and its areas, not the
    # controls' own fill; the staff header is the brand colour and has its own ring (below).
    backgrounds = {
        resolved(value, variables)
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
        if not re.search(r"button|aria-current|header\.bar", selector)
        for value in re.findall(r"background:([^;}]+)", body)
        if value.strip().startswith(("#", "var("))
    } | {"#fff"}
    assert len(backgrounds) >= 3, backgrounds
    weak = {b: round(contrast(ring, b), 2) for b in backgrounds if contrast(ring, b) < 3}
    assert weak == {}, f"{layout}: focus ring {ring} too faint on {weak}"


def test_the_staff_headers_ring_stands_out_on_the_brand_colour():
    css, variables = styles("templates/staff/base.html")
    [ring] = re.findall(r"header\.bar :focus-visible\{outline-color:(#[0-9a-fA-F]{3,6})\}", css)
    assert contrast(ring, variables["brand"]) >= 3
