"""The share card's picture, drawn by Loket itself: no file, font or network involved.

An information sign (a white disc with a blue "i") on the pages' blue, at the 1200x630
that link previews use. It is a palette PNG of a few kilobytes, made once per process; its
URL carries a digest of its bytes, so it can be cached forever and a new drawing gets a
new URL.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from functools import cache

WIDTH, HEIGHT = 1200, 630
#: Palette: the pages' brand blue, white, and their soft blue (templates/base.html).
BLUE, WHITE, SOFT = 0, 1, 2
PALETTE = bytes.fromhex("0b5394ffffffeef4fb")
#: The sign: a disc, and in it the dot and stem of an "i".
CENTRE_X, CENTRE_Y, RADIUS = 600, 300, 220
DOT_Y, DOT_RADIUS = 195, 40
STEM_LEFT, STEM_RIGHT, STEM_TOP, STEM_BOTTOM = 565, 635, 260, 445
#: A soft band along the bottom edge.
BAND_TOP = 580


def _span(cx: int, cy: int, r: int, y: int) -> tuple[int, int] | None:
    """The pixels [left, right) of row ``y`` inside the disc at (cx, cy) of radius r."""
    dy = y - cy
    if abs(dy) >= r:
        return None
    half = int((r * r - dy * dy) ** 0.5)
    return cx - half, cx + half


def _row(y: int) -> bytes:
    if y >= BAND_TOP:
        return bytes([SOFT]) * WIDTH
    row = bytearray([BLUE]) * WIDTH
    for cx, cy, r, colour in (
        (CENTRE_X, CENTRE_Y, RADIUS, WHITE),
        (CENTRE_X, DOT_Y, DOT_RADIUS, BLUE),
    ):
        span = _span(cx, cy, r, y)
        if span:
            row[span[0] : span[1]] = bytes([colour]) * (span[1] - span[0])
    if STEM_TOP <= y < STEM_BOTTOM:
        row[STEM_LEFT:STEM_RIGHT] = bytes([BLUE]) * (STEM_RIGHT - STEM_LEFT)
    return bytes(row)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@cache
def card_png() -> bytes:
    """The picture as PNG bytes (8-bit palette, each row unfiltered)."""
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0)
    pixels = b"".join(b"\x00" + _row(y) for y in range(HEIGHT))
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", PALETTE),
            _chunk(b"IDAT", zlib.compress(pixels, 9)),
            _chunk(b"IEND", b""),
        )
    )


def card_path() -> str:
    """Where the picture is served; the digest changes whenever the drawing does."""
    return f"/share/card-{hashlib.sha256(card_png()).hexdigest()[:16]}.png"
