"""How a slot is taken: is the start bookable, who serves it, which rows hold them.

Shared by every way an appointment is made or moved (online hold, staff booking, walk-in,
reschedule); each runs these steps inside its own write transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from booking.db.rows import insert_returning_id
from booking.db.tables import Allocation
from booking.db.transactions import take_turns
from booking.domain.availability import MAX_HOLD, Staffing, blocked_interval, staffings
from booking.domain.errors import (
    InvalidInput,
    InvalidTime,
    SlotNotOffered,
    SlotTaken,
)
from booking.domain.policy import Policy
from booking.services.point_setup import (
    Catalog,
    PointSetup,
)
from booking.services.slots import DayPlan, fresh_busy, load_context
from booking.services.views import (
    HeldResource,
)

FIRST_NAME_MAX = 50


def bookable_start(instant: datetime, policy: Policy, now: datetime) -> datetime:
    """The start in UTC, if it could be a slot at all.

    Refuses naive datetimes (they would be read as UTC and stored off by the offset), and
    instants far outside the bookable range before any date arithmetic on them can overflow.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidTime("start")
    margin = timedelta(days=2)
    earliest, latest = now - margin, now + timedelta(days=policy.horizon_days) + margin
    try:
        start = instant.astimezone(UTC)
    except OverflowError:
        raise SlotNotOffered("start") from None
    if not earliest <= start <= latest:
        raise SlotNotOffered("start")
    return start


def clean_first_name(raw: str | None) -> str | None:
    name = " ".join((raw or "").split())
    if len(name) > FIRST_NAME_MAX:
        raise InvalidInput("first_name")
    return name or None


def choose_staffing(
    plan: DayPlan, policy: Policy, start: datetime, now: datetime, *, walk_in: bool = False
) -> Staffing:
    """The best way to staff ``start`` with the allocations in ``plan``, or why there is none.

    Equivalent to finding ``start`` among the plan's slots (the availability property tests
    check that), without computing the whole day. A walk-in starts now: no notice, no grid.
    """
    if not walk_in and not policy.rules.admits(start, now, plan.setup.point.tz):
        raise SlotNotOffered("start")

    def options(busy: Mapping[str, Sequence]) -> list[Staffing]:
        consultants, interpreters = plan.setup.calendars(plan.first, plan.last, busy, plan.language)
        return staffings(
            start,
            language=plan.language,
            duration=plan.topic.duration,
            consultants=consultants,
            interpreters=interpreters,
            buffer=policy.rules.buffer,
        )

    if found := options(plan.busy):
        return found[0]
    if options({}):
        raise SlotTaken("start")
    raise SlotNotOffered("start")


def allocations_for(
    appointment_id: int,
    staffing: Staffing,
    start: datetime,
    plan: DayPlan,
    policy: Policy,
    expires_at: datetime | None = None,
) -> list[dict]:
    """One row per held resource, sorted by resource so concurrent bookers lock in one order."""
    held = blocked_interval(start, plan.topic.duration, policy.rules.buffer)
    people = [(Allocation.CONSULTANT, staffing.consultant_id)]
    if staffing.interpreter_id is not None:
        people.append((Allocation.INTERPRETER, staffing.interpreter_id))
    rows = [
        {
            "appointment": appointment_id,
            "resource": plan.setup.person(staff_id).resource,
            "role": role,
            "staff": staff_id,
            "agency": None,
            "starts_at": held.start,
            "ends_at": held.end,
            "live": True,
            "expires_at": expires_at,
        }
        for role, staff_id in people
    ]
    return sorted(rows, key=lambda row: row["resource"])


def held_resources(setup: PointSetup, staffing: Staffing) -> tuple[HeldResource, ...]:
    held = [HeldResource(Allocation.CONSULTANT, staffing.consultant_id, "")]
    if staffing.interpreter_id is not None:
        held.append(HeldResource(Allocation.INTERPRETER, staffing.interpreter_id, ""))
    return tuple(
        HeldResource(h.kind, h.id, person.name if (person := setup.person(h.id)) else "")
        for h in held
    )


async def plan_for(
    catalog: Catalog,
    policy: Policy,
    point_id: int,
    topic_id: int,
    language: str,
    start: datetime,
    now: datetime,
) -> DayPlan:
    """The plan of the local day ``start`` falls on, without allocations yet."""
    setup, topic, language = await load_context(
        catalog,
        policy,
        point_id=point_id,
        topic_id=topic_id,
        language=language,
        first=start.date() - timedelta(days=1),
        last=start.date() + timedelta(days=1),
        now=now,
    )
    day = start.astimezone(setup.point.tz).date()
    return DayPlan(setup, topic, language, day, day, {})


async def refreshed(plan: DayPlan, policy: Policy, now: datetime) -> DayPlan:
    """The same plan with allocations read inside the write transaction: the re-check.

    With the re-check off (``LOKET_RECHECK``, tests only) the plan stays as it was read
    before the transaction, and only the database refuses a double hold.
    """
    if not policy.recheck:
        return plan
    busy, stale = await fresh_busy(
        plan.setup, plan.topic, plan.language, plan.first, plan.last, policy, now
    )
    return DayPlan(plan.setup, plan.topic, plan.language, plan.first, plan.last, busy, stale)


async def hold(rows: list[dict], stale: frozenset[str], now: datetime) -> None:
    """Inserts the allocations, first releasing expired holds in their way, if any.

    Searches already ignore a hold past its ``expires_at``, but the database still counts
    it as live until it is released; ``stale`` (from the read of allocations) says which
    resources have one.
    """
    await take_turns((r["resource"], r["starts_at"]) for r in rows)
    if stale.isdisjoint(r["resource"] for r in rows):
        await insert_returning_id(Allocation, rows)
        return
    first, last = min(r["starts_at"] for r in rows), max(r["ends_at"] for r in rows)
    await Allocation.update({Allocation.live: False}).where(
        Allocation.resource.is_in([r["resource"] for r in rows])
        & (Allocation.live == True)
        & (Allocation.expires_at <= now)
        & (Allocation.starts_at >= first - MAX_HOLD)
        & (Allocation.starts_at < last)
        & (Allocation.ends_at > first)
    )
    await insert_returning_id(Allocation, rows)
