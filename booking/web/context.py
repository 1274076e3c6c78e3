"""What handlers receive by injection: settings, the master-data cache, the rules, a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from litestar.di import Provide

from booking.domain.policy import Policy
from booking.services.point_setup import Catalog
from booking.settings import Settings
from booking.worker import InProcess

#: Returns the current instant, aware and in UTC; tests pass a fixed one.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def dependencies(settings: Settings, clock: Clock, worker: InProcess) -> dict[str, Provide]:
    catalog = Catalog(max_bytes=settings.point_cache_mb * 2**20)
    policy = Policy.from_settings(settings)
    return {
        "worker": Provide(lambda: worker, use_cache=True, sync_to_thread=False),
        "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
        "catalog": Provide(lambda: catalog, use_cache=True, sync_to_thread=False),
        "policy": Provide(lambda: policy, use_cache=True, sync_to_thread=False),
        "clock": Provide(lambda: clock, use_cache=True, sync_to_thread=False),
    }
