"""A checked plan into the database in one transaction, and a region back out as a plan.

An import adds and updates by code (point and agency slugs, staff e-mail addresses) and
never deletes a point, person or agency: those are made inactive on the screens. For each
point and person on the sheet, the all-year hours, schedules, points served and agency
topics become exactly what the sheet says; rows with a season are left to the screens.
Writing only what differs makes re-importing an export a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from booking.db.tables import (
    Agency,
    AgencyTopic,
    OpeningHours,
    Point,
    StaffMember,
    StaffPoint,
    StaffSchedule,
    Topic,
)
from booking.db.transactions import write_transaction
from booking.domain.errors import N_
from booking.services.audit import trail
from booking.services.onboarding.sheets import (
    AGENCIES,
    POINTS,
    AgencyRow,
    HoursRow,
    Plan,
    PointRow,
    Problem,
    ScheduleRow,
    StaffRow,
    Tables,
    check,
)


async def preview(tables: Tables, region_id: int) -> tuple[Plan, list[Problem]]:
    """The plan and every problem, the sheet's own and codes another region already uses."""
    topics = frozenset(r["slug"] for r in await Topic.select(Topic.slug))
    plan, problems = check(tables, topics)
    taken = N_("“%(value)s” already belongs to another region.")
    points = await Point.select(Point.slug).where(
        Point.slug.is_in([p.slug for p in plan.points] or [""]) & (Point.region != region_id)
    )
    agencies = await Agency.select(Agency.slug).where(
        Agency.slug.is_in([a.slug for a in plan.agencies] or [""])
        & (Agency.region.is_null() | (Agency.region != region_id))
    )
    for sheet, rows, found in ((POINTS, plan.points, points), (AGENCIES, plan.agencies, agencies)):
        other = {r["slug"] for r in found}
        for n, row in enumerate(rows):
            if row.slug in other:
                problems.append(
                    Problem(
                        sheet, _row_of(tables, sheet, row.slug, n), taken, (("value", row.slug),)
                    )
                )
    return plan, problems


def _row_of(tables: Tables, sheet: str, slug: str, fallback: int) -> int:
    for n, cells in enumerate(tables.get(sheet, ()), start=2):
        if (cells.get("slug") or "").strip() == slug:
            return n
    return fallback + 2


async def import_plan(plan: Plan, region_id: int, account_id: int, now: datetime) -> int:
    """Writes the plan in one transaction, audited; returns how many rows changed."""
    async with write_transaction():
        return await _write(plan, region_id, account_id, now)


async def _write(plan: Plan, region_id: int, account_id: int, now: datetime) -> int:
    points = await _points(plan.points, region_id)
    changes = points.pop(None, 0)
    changes += await _hours(plan.hours, points)
    staff = await _staff(plan.staff, region_id)
    changes += staff.pop(None, 0)
    changes += await _served(plan.staff, staff, points)
    changes += await _schedules(plan.schedules, plan.staff, staff, points)
    changes += await _agencies(plan.agencies, region_id)
    await trail.record(
        account_id, trail.IMPORTED_REGION, f"region:{region_id}", now, f"{changes} changes"
    )
    return changes


async def _upsert(table, key: dict, values: dict) -> tuple[int, int]:
    """The row's id, inserted or updated where it differs, and 1 if anything was written."""
    found = (
        await table.select(table.id, *(getattr(table, c) for c in values))
        .where(*(getattr(table, k) == v for k, v in key.items()))
        .first()
    )
    if found is None:
        return (await table.insert(table(**key, **values)))[0]["id"], 1
    if all(found[c] == v for c, v in values.items()):
        return found["id"], 0
    await table.update(values).where(table.id == found["id"])
    return found["id"], 1


async def _points(rows: Iterable[PointRow], region_id: int) -> dict:
    ids: dict = {None: 0}
    for p in rows:
        values = {
            "region": region_id,
            "name": p.name,
            "kind": p.kind,
            "address": p.address,
            "city": p.city,
            "timezone": p.timezone,
        }
        ids[p.slug], changed = await _upsert(Point, {"slug": p.slug}, values)
        ids[None] += changed
    return ids


async def _replace(table, owner, owner_ids: dict, wanted: set[tuple], columns: tuple) -> int:
    """Makes the all-year rows of ``owner`` in ``owner_ids`` exactly ``wanted``."""
    seasonless = (
        table.valid_from.is_null() & table.valid_to.is_null()
        if hasattr(table, "valid_from")
        else None
    )
    query = table.select(table.id, owner, *(getattr(table, c) for c in columns)).where(
        owner.is_in(list(owner_ids.values()) or [0])
    )
    if seasonless is not None:
        query = query.where(seasonless)
    have = {(r[owner._meta.name], *(r[c] for c in columns)): r["id"] for r in await query}
    gone = [i for k, i in have.items() if k not in wanted]
    new = [k for k in wanted if k not in have]
    if gone:
        await table.delete().where(table.id.is_in(gone))
    if new:
        name = owner._meta.name
        await table.insert(
            *(table(**{name: k[0], **dict(zip(columns, k[1:], strict=True))}) for k in new)
        )
    return len(gone) + len(new)


async def _hours(rows: Iterable[HoursRow], points: dict) -> int:
    wanted = {(points[h.point], h.weekday, h.opens, h.closes) for h in rows}
    return await _replace(
        OpeningHours, OpeningHours.point, points, wanted, ("weekday", "opens", "closes")
    )


async def _staff(rows: Iterable[StaffRow], region_id: int) -> dict:
    ids: dict = {None: 0}
    for s in rows:
        values = {"name": s.name, "kind": s.kind, "languages": list(s.languages)}
        key = {"region": region_id, "email": s.email}
        ids[s.email], changed = await _upsert(StaffMember, key, values)
        ids[None] += changed
    return ids


async def _served(rows: Iterable[StaffRow], staff: dict, points: dict) -> int:
    wanted = {(staff[s.email], points[p]) for s in rows for p in s.points}
    return await _replace(StaffPoint, StaffPoint.staff, staff, wanted, ("point",))


async def _schedules(
    rows: Iterable[ScheduleRow], people: Iterable[StaffRow], staff: dict, points: dict
) -> int:
    wanted = {(staff[s.staff], points[s.point], s.weekday, s.starts, s.ends) for s in rows}
    columns = ("point", "weekday", "starts", "ends")
    return await _replace(StaffSchedule, StaffSchedule.staff, staff, wanted, columns)


async def _agencies(rows: Iterable[AgencyRow], region_id: int) -> int:
    topics = {r["slug"]: r["id"] for r in await Topic.select(Topic.id, Topic.slug)}
    changes, ids = 0, {}
    for a in rows:
        values = {
            "region": region_id,
            "name": a.name,
            "kind": a.kind,
            "email": a.email,
            "address": a.address,
        }
        ids[a.slug], changed = await _upsert(Agency, {"slug": a.slug}, values)
        changes += changed
    wanted = {(ids[a.slug], topics[t]) for a in rows for t in a.topics}
    return changes + await _replace(AgencyTopic, AgencyTopic.agency, ids, wanted, ("topic",))


async def export_plan(region_id: int) -> Plan:
    """The region's master data as the plan an import of it would give."""
    points = (
        await Point.select(
            Point.id, Point.slug, Point.name, Point.kind, Point.address, Point.city, Point.timezone
        )
        .where(Point.region == region_id)
        .order_by(Point.slug)
    )
    slug_of = {p["id"]: p["slug"] for p in points}
    hours = await OpeningHours.select().where(
        OpeningHours.point.is_in(list(slug_of) or [0])
        & OpeningHours.valid_from.is_null()
        & OpeningHours.valid_to.is_null()
    )
    staff = (
        await StaffMember.select()
        .where((StaffMember.region == region_id) & (StaffMember.email != ""))
        .order_by(StaffMember.email)
    )
    email_of = {s["id"]: s["email"] for s in staff}
    served = await StaffPoint.select().where(StaffPoint.staff.is_in(list(email_of) or [0]))
    schedules = await StaffSchedule.select().where(
        StaffSchedule.staff.is_in(list(email_of) or [0])
        & StaffSchedule.point.is_in(list(slug_of) or [0])
        & StaffSchedule.valid_from.is_null()
        & StaffSchedule.valid_to.is_null()
    )
    agencies = await Agency.select().where(Agency.region == region_id).order_by(Agency.slug)
    topic_of = {r["id"]: r["slug"] for r in await Topic.select(Topic.id, Topic.slug)}
    agency_topics = await AgencyTopic.select().where(
        AgencyTopic.agency.is_in([a["id"] for a in agencies] or [0])
    )
    return Plan(
        points=tuple(
            PointRow(p["slug"], p["name"], p["kind"], p["address"], p["city"], p["timezone"])
            for p in points
        ),
        hours=tuple(
            sorted(
                (
                    HoursRow(slug_of[h["point"]], h["weekday"], h["opens"], h["closes"])
                    for h in hours
                ),
                key=lambda h: (h.point, h.weekday, h.opens),
            )
        ),
        staff=tuple(
            StaffRow(
                s["email"],
                s["name"],
                s["kind"],
                tuple(s["languages"]),
                tuple(
                    sorted(
                        slug_of[r["point"]]
                        for r in served
                        if r["staff"] == s["id"] and r["point"] in slug_of
                    )
                ),
            )
            for s in staff
        ),
        schedules=tuple(
            sorted(
                (
                    ScheduleRow(
                        email_of[s["staff"]],
                        slug_of[s["point"]],
                        s["weekday"],
                        s["starts"],
                        s["ends"],
                    )
                    for s in schedules
                ),
                key=lambda s: (s.staff, s.weekday, s.starts, s.point),
            )
        ),
        agencies=tuple(
            AgencyRow(
                a["slug"],
                a["name"],
                a["kind"],
                a["email"],
                a["address"],
                tuple(
                    sorted(topic_of[t["topic"]] for t in agency_topics if t["agency"] == a["id"])
                ),
            )
            for a in agencies
        ),
    )


async def import_tables(
    tables: Tables, region_id: int, account_id: int, now: datetime
) -> tuple[list[Problem], int]:
    """Checks the rows and, only when there is no problem at all, imports them: the problems
    found, and how many rows changed. The check runs inside the transaction that writes, so
    a code another region takes meanwhile is a problem, not a failed write."""
    async with write_transaction():
        plan, problems = await preview(tables, region_id)
        if problems:
            return problems, 0
        return [], await _write(plan, region_id, account_id, now)
