"""Charts drawn on the server as inline SVG: readable without JavaScript, printable, and
allowed by the pages' content security policy. Pure functions from figures to markup.

Hidden small counts are drawn as hidden: no bar length or colour gives them away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from booking.reports.figures import Cell

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_SPACE = 22, 6, 180, 320
#: Characters of a label that fit in LABEL_WIDTH at the chart's font size.
LABEL_CHARS = 24
#: Pixels per character at that size, and the room kept between two axis labels.
CHAR_WIDTH, LABEL_GAP = LABEL_WIDTH / LABEL_CHARS, 12
INK, BAR, HIDDEN, GRID = "#1b1b1b", "#1f5f8b", "#d8d8d8", "#e6e6e6"
FONT = 'font-family="system-ui, sans-serif" font-size="13"'


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    label = escape(title)
    # Every text in ``body`` went through html.escape where it was written.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="100%" style="max-width:{width}px" role="img" aria-label="{label}">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def bars(title: str, rows: Sequence[tuple[str, Cell]]) -> Markup:
    """Horizontal bars, one per row, each with its label and its shown value."""
    top = max((cell.count for _, cell in rows if not cell.hidden), default=0) or 1
    body = []
    for n, (label, cell) in enumerate(rows):
        y = n * (BAR_HEIGHT + GAP)
        length = 0 if cell.hidden else round(BAR_SPACE * cell.count / top)
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" fill="{INK}" {FONT}>'
            f"{escape(_short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1)}" height="{BAR_HEIGHT}"'
            f' fill="{HIDDEN if cell.hidden else BAR}">'
            f"<title>{escape(label)}: {escape(cell.shown)}</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}" fill="{INK}" {FONT}>'
            f"{escape(cell.shown)}</text>"
        )
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP)
    return _svg(LABEL_WIDTH + BAR_SPACE + 60, height, title, body)


def _short(label: str) -> str:
    """A label that fits left of the bars; the full name is in the bar's title and the table."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def line(title: str, points: Sequence[tuple[str, Cell]]) -> Markup:
    """A trend line over periods; a hidden period breaks the line and is marked on the axis."""
    # The right margin leaves room for the last period's label, centred on its point.
    width, height, left, right, bottom, top_pad = 640, 240, 40, 40, 40, 16
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    top = max((c.count for _, c in points if not c.hidden), default=0) or 1
    step = plot_w / max(len(points) - 1, 1)
    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}"'
        f' stroke="{INK}"/>',
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" {FONT}>{top}</text>',
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end" {FONT}>0</text>',
    ]
    segment: list[str] = []
    # Every n-th period is labelled, so that the labels never run into each other.
    widest = max((len(label) for label, _ in points), default=0) * CHAR_WIDTH + LABEL_GAP
    every = max(1, math.ceil(widest / step))
    for n, (label, cell) in enumerate(points):
        x = left + n * step
        if n % every == 0:
            body.append(
                f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle" {FONT}>'
                f"{escape(label)}</text>"
            )
        if cell.hidden:
            body.append(_polyline(segment))
            segment = []
            body.append(
                f'<text x="{x:.1f}" y="{top_pad + plot_h - 4}" text-anchor="middle"'
                f' fill="#767676" {FONT}>{escape(cell.shown)}</text>'
            )
            continue
        y = top_pad + plot_h - plot_h * cell.count / top
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BAR}">'
            f"<title>{escape(label)}: {cell.count}</title></circle>"
        )
    body.append(_polyline(segment))
    return _svg(width, height, title, body)


def _polyline(points: list[str]) -> str:
    if len(points) < 2:
        return ""
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{BAR}" stroke-width="2"/>'


def heatmap(title: str, grid: Sequence[Sequence[Cell]], days: Sequence[str]) -> Markup:
    """Weekdays by local hour; darker is busier, hidden counts are grey, numbers on the cells."""
    size, left, head = 26, 48, 20
    columns = hours_of(grid)
    top = max((c.count for row in grid for c in row if not c.hidden), default=0) or 1
    body = [
        f'<text x="{left + i * size + size / 2}" y="14" text-anchor="middle" {FONT}>{hour}</text>'
        for i, hour in enumerate(columns)
    ]
    for d, (day, row) in enumerate(zip(days, grid, strict=True)):
        y = head + d * size
        body.append(
            f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" {FONT}>{escape(day)}</text>'
        )
        for i, hour in enumerate(columns):
            cell = row[hour]
            if cell.hidden:
                fill, ink = HIDDEN, INK
            else:
                strength = cell.count / top
                fill = _shade(strength)
                ink = "#ffffff" if strength > 0.55 else INK
            body.append(
                f'<rect x="{left + i * size}" y="{y}" width="{size - 2}" height="{size - 2}"'
                f' fill="{fill}"><title>{escape(day)} {hour}:00: {escape(cell.shown)}</title></rect>'
            )
            if cell.count:
                body.append(
                    f'<text x="{left + i * size + size / 2 - 1}" y="{y + 17}" text-anchor="middle"'
                    f' fill="{ink}" font-family="system-ui, sans-serif" font-size="10">'
                    f"{escape(cell.shown)}</text>"
                )
    return _svg(left + len(columns) * size + 8, head + 7 * size + 4, title, body)


def hours_of(grid: Sequence[Sequence[Cell]]) -> list[int]:
    """The local hours a heatmap shows: from the first to the last with any appointment
    (the usual opening hours when there is none), so a table beside it can match."""
    hours = [h for h in range(24) if any(row[h].count for row in grid)] or list(range(8, 22))
    return list(range(min(hours), max(hours) + 1))


def _shade(strength: float) -> str:
    """From near-white to the bar colour."""
    low, high = (241, 246, 250), (31, 95, 139)
    rgb = [round(a + (b - a) * strength) for a, b in zip(low, high, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)
