"""Serves the share card's picture under its digest, cached for a year by anyone."""

from __future__ import annotations

from litestar import Controller, Response, get

from booking.web.headers import CACHE_FOREVER
from booking.web.share_cards.picture import card_path, card_png


class SharePicture(Controller):
    path = "/"
    include_in_schema = False

    @get(card_path(), name="share_picture")
    async def picture(self) -> Response[bytes]:
        return Response(
            card_png(), media_type="image/png", headers={"Cache-Control": CACHE_FOREVER}
        )
