"""One scrape: the counters of this process (or of all workers of this ``loket serve``),
then the database's gauges, in Prometheus' text format; and who may read it."""

from __future__ import annotations

import hmac
from datetime import datetime
from ipaddress import ip_address, ip_network

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from booking.metrics import database
from booking.settings import Settings


def process_metrics(settings: Settings) -> bytes:
    """Multiprocess mode when ``loket serve`` set it up (settings.metrics_dir)."""
    if settings.metrics_dir:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=settings.metrics_dir)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


async def scrape(settings: Settings, now: datetime) -> bytes:
    registry = CollectorRegistry()
    registry.register(database.Snapshot(await database.read(now)))
    return process_metrics(settings) + generate_latest(registry)


def allowed(settings: Settings, client: str | None, authorization: str | None) -> bool:
    """Whether a scraper may read /metrics: with the bearer token, or from an allowed
    network (LOKET_METRICS_TOKEN, LOKET_METRICS_ALLOW)."""
    token = settings.metrics_token
    if token and authorization:
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            return True
    try:
        address = ip_address(client or "")
    except ValueError:
        return False
    return any(address in ip_network(net) for net in settings.metrics_allow)
