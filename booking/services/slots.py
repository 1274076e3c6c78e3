"""Slot search: the cached setup of a point, its live allocations, and the pure engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from booking.domain.availability import Slot, find_slots
from booking.domain.errors import InvalidDateRange, UnknownPoint, UnknownTopic
from booking.domain.intervals import Interval
from booking.domain.languages import service_language
from booking.domain.opening_hours import local_day_bounds
from booking.domain.policy import Policy
from booking.metrics.instruments import SLOT_SEARCHES, counts
from booking.services.busy import busy_by_resource
from booking.services.point_setup import (
    Catalog,
    PointSetup,
    TopicInfo,
    current_revision,
)


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What a booking or search of one range works from, read in one go."""

    setup: PointSetup
    topic: TopicInfo
    language: str
    first: date
    last: date
    busy: dict
    #: Resources with an expired hold in the range that the database still counts.
    stale: frozenset[str] = frozenset()

    def slots(self, policy: Policy, now: datetime) -> list[Slot]:
        consultants, interpreters = self.setup.calendars(
            self.first, self.last, self.busy, self.language
        )
        return find_slots(
            language=self.language,
            duration=self.topic.duration,
            consultants=consultants,
            interpreters=interpreters,
            rules=policy.rules,
            now=now,
            tz=self.setup.point.tz,
            within=local_day_bounds(self.first, self.last, self.setup.point.tz),
        )


async def load_context(
    catalog: Catalog,
    policy: Policy,
    *,
    point_id: int,
    topic_id: int,
    language: str,
    first: date,
    last: date,
    now: datetime,
) -> tuple[PointSetup, TopicInfo, str]:
    """The point's setup covering [first, last], the topic and the checked language."""
    language = service_language(language)
    revision = await current_revision()
    topic = (await catalog.topics(revision)).get(topic_id)
    if topic is None:
        raise UnknownTopic("topic")
    setup = await catalog.point(
        point_id, revision, first, last, policy.today(now), policy.horizon_days
    )
    if setup is None:
        raise UnknownPoint("point")
    return setup, topic, language


async def fresh_busy(
    setup: PointSetup,
    topic: TopicInfo,
    language: str,
    first: date,
    last: date,
    policy: Policy,
    now: datetime,
) -> tuple[dict, frozenset[str]]:
    """Allocations of the people who could serve ``language`` that can touch a slot starting
    in [first, last], end overhang included."""
    span = local_day_bounds(first, last, setup.point.tz)
    reach = topic.duration + policy.rules.buffer
    return await busy_by_resource(
        [p.resource for p in setup.people_for(language)],
        Interval(span.start, span.end + reach),
        now,
    )


@counts(SLOT_SEARCHES, lambda found: "found" if found[1] else "none")
async def search_slots(
    catalog: Catalog,
    policy: Policy,
    *,
    point_id: int,
    topic_id: int,
    language: str,
    first: date,
    last: date,
    now: datetime,
) -> tuple[DayPlan, list[Slot]]:
    """Free slots at a point for a topic and language, for local dates [first, last]."""
    today = policy.today(now)
    latest = today + timedelta(days=policy.horizon_days + 1)
    if last < first or last < today - timedelta(days=1) or first > latest:
        raise InvalidDateRange("to", days=policy.horizon_days)
    first, last = max(first, today - timedelta(days=1)), min(last, latest)
    setup, topic, language = await load_context(
        catalog,
        policy,
        point_id=point_id,
        topic_id=topic_id,
        language=language,
        first=first,
        last=last,
        now=now,
    )
    busy, _ = await fresh_busy(setup, topic, language, first, last, policy, now)
    plan = DayPlan(setup, topic, language, first, last, busy)
    return plan, plan.slots(policy, now)
