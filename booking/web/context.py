"""What handlers receive by injection: settings, the master-data cache, the rules, a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from litestar.di import Provide

from booking.domain.availability import SlotRules
from booking.services.point_setup import Catalog
from booking.services.slots import Policy
from booking.settings import Settings

#: Returns the current instant, aware and in UTC; tests pass a fixed one.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def policy_from(settings: Settings) -> Policy:
    return Policy(
        rules=SlotRules(
            grid=timedelta(minutes=settings.slot_grid_minutes),
            buffer=timedelta(minutes=settings.buffer_minutes),
            min_notice=timedelta(minutes=settings.min_notice_minutes),
            horizon=timedelta(days=settings.horizon_days),
        ),
        horizon_days=settings.horizon_days,
    )


def dependencies(settings: Settings, clock: Clock) -> dict[str, Provide]:
    catalog, policy = Catalog(), policy_from(settings)
    return {
        "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
        "catalog": Provide(lambda: catalog, use_cache=True, sync_to_thread=False),
        "policy": Provide(lambda: policy, use_cache=True, sync_to_thread=False),
        "clock": Provide(lambda: clock, use_cache=True, sync_to_thread=False),
    }
