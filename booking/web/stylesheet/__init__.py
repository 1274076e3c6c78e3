"""The migrant pages' one stylesheet, served under its digest and cached for a year.

Inline, the style sheet was 1.2 KB of every page (gzipped); with sixteen languages in the
picker and share cards a topic page outgrew its 3 KB budget. As a file named by its bytes a
phone fetches it once, and each page after that is only its own words.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from litestar import Controller, Response, get

from booking.web.headers import CACHE_FOREVER

CSS = (Path(__file__).parent / "loket.css").read_bytes()
#: Changes whenever the style sheet does, so caches may keep each version forever.
STYLESHEET_PATH = f"/style/loket-{hashlib.sha256(CSS).hexdigest()[:16]}.css"


class Stylesheet(Controller):
    path = "/"
    include_in_schema = False

    @get(STYLESHEET_PATH, name="stylesheet")
    async def stylesheet(self) -> Response[bytes]:
        return Response(
            CSS, media_type="text/css; charset=utf-8", headers={"Cache-Control": CACHE_FOREVER}
        )
