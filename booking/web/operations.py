"""Endpoints for operators and their tools: readiness for load balancers and orchestrators,
and Prometheus metrics (issue 15). ``/health`` (liveness) stays in booking/web/api.py."""

from __future__ import annotations

import asyncio

from litestar import Litestar, Request, get
from litestar.di import NamedDependency, Provide
from litestar.openapi import ResponseSpec
from litestar.response import Response
from litestar.status_codes import HTTP_403_FORBIDDEN, HTTP_503_SERVICE_UNAVAILABLE

from booking.db.migrate import pending_migrations
from booking.metrics.exposition import allowed, scrape
from booking.settings import Settings
from booking.web.api import health_check
from booking.web.context import Clock

#: The text format generate_latest writes (Litestar adds the charset).
METRICS_MEDIA_TYPE = "text/plain; version=0.0.4"
#: A database that has not answered by then counts as down (a dropped route would
#: otherwise hold the check for the driver's own connect timeout, a minute).
READY_TIMEOUT_SECONDS = 5.0


@get(
    "/ready",
    summary="Readiness: the database answers and its migrations are current",
    responses={
        HTTP_503_SERVICE_UNAVAILABLE: ResponseSpec(
            dict[str, str], description="Not ready: `database` says why."
        )
    },
)
async def ready_check() -> Response:
    try:
        pending = await asyncio.wait_for(pending_migrations(), READY_TIMEOUT_SECONDS)
    except Exception as error:  # unreachable, refused, timed out: all mean "not ready"
        return Response(
            {"status": "unavailable", "database": f"not answering ({type(error).__name__})"},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
    if pending:
        return Response(
            {"status": "unavailable", "database": f"{len(pending)} migrations not applied"},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response({"status": "ready"})


@get(
    "/metrics",
    summary="Prometheus metrics (allowed networks or the bearer token)",
    media_type=METRICS_MEDIA_TYPE,
    responses={
        HTTP_403_FORBIDDEN: ResponseSpec(
            str, media_type="text/plain", description="Not an allowed network or token."
        )
    },
)
async def metrics(
    request: Request, settings: NamedDependency[Settings], clock: NamedDependency[Clock]
) -> Response:
    client = request.client.host if request.client else None
    if not allowed(settings, client, request.headers.get("authorization")):
        return Response(
            "forbidden: see LOKET_METRICS_ALLOW and LOKET_METRICS_TOKEN\n",
            status_code=HTTP_403_FORBIDDEN,
            media_type="text/plain",
        )
    return Response(await scrape(settings, clock()), media_type=METRICS_MEDIA_TYPE)


def operations_app(settings: Settings, clock: Clock) -> Litestar:
    """What ``loket worker`` serves on LOKET_METRICS_PORT: its own counters, the database's
    gauges and liveness; nothing else."""
    return Litestar(
        route_handlers=[health_check, metrics],
        dependencies={
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            "clock": Provide(lambda: clock, use_cache=True, sync_to_thread=False),
        },
        logging_config=None,
        openapi_config=None,
    )


async def serve_operations(settings: Settings, clock: Clock) -> None:
    """Serves ``operations_app`` on HOST:LOKET_METRICS_PORT inside the worker's event loop."""
    import uvicorn

    config = uvicorn.Config(
        operations_app(settings, clock),
        host=settings.host,
        port=settings.metrics_port,
        access_log=False,
        log_config=None,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    # The signals belong to the worker and its shutdown, not to this side door.
    await server._serve()
