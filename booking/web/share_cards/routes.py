"""Serves the share card's picture under its digest, cached for a year by anyone."""

from __future__ import annotations

from litestar import Controller, Response, get

from booking.web.share_cards.picture import card_path, card_png

#: The URL names the picture's bytes, so caches may keep it forever.
FOREVER = "public, max-age=31536000, immutable"


class SharePicture(Controller):
    path = "/"
    include_in_schema = False

    @get(card_path(), name="share_picture")
    async def picture(self) -> Response[bytes]:
        return Response(card_png(), media_type="image/png", headers={"Cache-Control": FOREVER})
