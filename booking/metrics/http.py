"""ASGI middleware timing each request under its route template (``/m/{token:str}``), so
the labels hold no tokens or ids and stay few."""

from __future__ import annotations

import time

from booking.metrics.instruments import REQUEST_SECONDS


def request_metrics(app):
    async def middleware(scope, receive, send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def sending(message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await app(scope, receive, sending)
        finally:
            REQUEST_SECONDS.labels(
                scope["method"], scope.get("path_template") or "unmatched", str(status[0])
            ).observe(time.perf_counter() - started)

    return middleware
