"""The anonymous facts behind the reports, read in one statement: which point, topic,
language, channel and status, when, and for handovers the agency and outcome. No contact,
no note and no staff member is read, so no personal data can reach a report.

An appointment counts once it was booked: confirmed at some point, which clears
``held_until``. A hold that expired or was abandoned keeps ``held_until`` (as "held" or
"cancelled") and is not an appointment; a cancellation is "cancelled" without it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from booking.db import replica
from booking.db.tables import Agency, Allocation, Appointment, Region, Topic
from booking.db.transactions import is_sqlite
from booking.reports.figures import BOOKED_STATUSES, Fact, HandoverFact, Interpreting
from booking.services.point_setup import PointInfo

#: Widest UTC offset of a point's zone: the SQL range is widened by it, the exact local
#: dates are then checked per point.
MARGIN = timedelta(days=1)

#: Only constants and placeholders are spliced in; every value is a bound parameter.
FACTS_SQL = (
    "SELECT a.point, a.topic, a.language, a.channel, a.status, {instants},"
    " h.agency, h.outcome, COALESCE(h.interpreter_language, a.language),"
    " EXISTS (SELECT 1 FROM allocation i WHERE i.appointment = a.id AND i.role = {{}}"
    " AND i.live)"
    " FROM appointment a LEFT JOIN handover h ON h.appointment = a.id"
    " WHERE a.held_until IS NULL AND a.status <> {{}}"
    " AND a.starts_at >= {{}} AND a.starts_at < {{}} AND a.point IN ({points})"
)


@dataclass(frozen=True, slots=True)
class Facts:
    #: Booked appointments, cancelled ones included (they make the cancellation rate).
    appointments: list[Fact]
    #: Booked handovers, cancelled ones included.
    handovers: list[HandoverFact]
    #: Appointments that stand (not cancelled) with an interpreter, and their length.
    interpreting: list[Interpreting]


async def read_facts(points: Mapping[int, PointInfo], first: date, last: date) -> Facts:
    """Facts of appointments at ``points`` starting on the local dates [first, last]."""
    if not points:
        return Facts([], [], [])
    text = is_sqlite()
    instants = ", ".join(
        f"CAST(a.{c} AS TEXT)" if text else f"a.{c}" for c in ("starts_at", "ends_at", "created_at")
    )
    sql = FACTS_SQL.format(instants=instants, points=", ".join("{}" for _ in points))
    rows = await replica.fetch_tuples(
        sql,
        Allocation.INTERPRETER,
        Appointment.HELD,
        datetime.combine(first, time(), tzinfo=UTC) - MARGIN,
        datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC) + MARGIN,
        *points,
    )
    parse = datetime.fromisoformat if text else _same
    appointments, handovers, interpreting = [], [], []
    for (
        point,
        topic,
        language,
        channel,
        status,
        start,
        end,
        made,
        agency,
        outcome,
        spoken,
        by,
    ) in rows:
        tz = points[point].tz
        fact = Fact(
            point, topic, language, channel, status, parse(start), parse(end), parse(made), tz
        )
        if not first <= fact.starts_at.astimezone(tz).date() <= last:
            continue
        appointments.append(fact)
        if agency is not None:
            handovers.append(HandoverFact(agency, status, outcome))
        if by and status in BOOKED_STATUSES:
            hours = (fact.ends_at - fact.starts_at) / timedelta(hours=1)
            interpreting.append(Interpreting(spoken, hours))
    return Facts(appointments, handovers, interpreting)


def _same(value: datetime) -> datetime:
    return value


async def topic_names(ids: Collection[int]) -> dict[int, dict[str, str]]:
    """Names per language of the topics asked for, inactive ones too (old appointments)."""
    if not ids:
        return {}
    rows = (
        await Topic.select(Topic.id, Topic.name)
        .where(Topic.id.is_in(list(ids)))
        .output(load_json=True)
    )
    return {r["id"]: r["name"] for r in rows}


async def agency_names(ids: Collection[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await Agency.select(Agency.id, Agency.name).where(Agency.id.is_in(list(ids)))
    return {r["id"]: r["name"] for r in rows}


async def regions() -> list[tuple[int, str]]:
    """Every region, by name: what an admin can choose a report for."""
    rows = await Region.select(Region.id, Region.name).order_by(Region.name)
    return [(r["id"], r["name"]) for r in rows]
