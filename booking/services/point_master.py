"""A point's master data for a range of days in one statement (issue 12 item 2).

A slot search at a point not yet cached must not cost a round trip per table: at national
scale a peak spreads over many points, and each cold search ran nine statements. The point,
its weekly hours, dated exceptions, mobile visits, the schedules of its people and their
absences come back as one row of JSON arrays, built by each engine's own JSON functions;
rows are handed on as the dicts Piccolo would give, with values of the columns' types.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from booking.db import rows
from booking.db.transactions import is_sqlite

#: Absences are read for local days, whose UTC bounds need the zone the same row brings:
#: the window is widened by the widest offset and cut to the exact days by working_time.
ZONE_MARGIN = timedelta(days=1)

#: ``{obj}`` and ``{agg}`` name the engine's JSON functions, ``{array}`` reads an array
#: column as JSON; every value is a bound parameter.
MASTER_SQL = """
WITH people AS (
  SELECT DISTINCT s.staff FROM staff_schedule s JOIN staff_member m ON m.id = s.staff
  WHERE s.staff IN (SELECT staff FROM staff_point WHERE point = {{}})
    AND m.active AND (s.point = {{}} OR s.point IS NULL)
)
SELECT
 (SELECT {obj}('id', p.id, 'region', p.region, 'slug', p.slug, 'name', p.name,
   'kind', p.kind, 'address', p.address, 'city', p.city, 'timezone', p.timezone,
   'name_i18n', {json}(p.name_i18n), 'directions', {json}(p.directions),
   'description', {json}(p.description), 'closed_on_holidays', p.closed_on_holidays,
   'active', p.active)
  FROM point p WHERE p.id = {{}} AND p.active),
 (SELECT {agg}({obj}('weekday', h.weekday, 'opens', h.opens, 'closes', h.closes,
   'valid_from', h.valid_from, 'valid_to', h.valid_to))
  FROM opening_hours h WHERE h.point = {{}}),
 (SELECT {agg}({obj}('day', e.day, 'kind', e.kind, 'opens', e.opens, 'closes', e.closes))
  FROM opening_exception e WHERE e.point = {{}} AND e.day >= {{}} AND e.day <= {{}}),
 (SELECT {agg}({obj}('day', v.day, 'opens', v.opens, 'closes', v.closes,
   'place', v.place, 'address', v.address, 'place_i18n', {json}(v.place_i18n),
   'directions', {json}(v.directions)))
  FROM mobile_visit v WHERE v.point = {{}} AND v.day >= {{}} AND v.day <= {{}}),
 (SELECT {agg}({obj}('staff', s.staff, 'weekday', s.weekday, 'starts', s.starts,
   'ends', s.ends, 'valid_from', s.valid_from, 'valid_to', s.valid_to,
   'staff_name', m.name, 'staff_kind', m.kind, 'staff_languages', {array}(m.languages),
   'staff_modes', {array}(m.interpreter_modes)))
  FROM staff_schedule s JOIN staff_member m ON m.id = s.staff
  WHERE s.staff IN (SELECT staff FROM people) AND (s.point = {{}} OR s.point IS NULL)),
 (SELECT {agg}({obj}('staff', a.staff, 'starts_at', a.starts_at, 'ends_at', a.ends_at))
  FROM staff_absence a
  WHERE a.staff IN (SELECT staff FROM people) AND a.starts_at < {{}} AND a.ends_at > {{}})
"""

POSTGRES_SQL = MASTER_SQL.format(
    obj="json_build_object", agg="json_agg", json="", array="array_to_json"
)
SQLITE_SQL = MASTER_SQL.format(obj="json_object", agg="json_group_array", json="json", array="json")


@dataclass(frozen=True, slots=True)
class PointMaster:
    """The rows of one point's master data, as Piccolo selects would give them."""

    point: dict[str, Any]
    weekly: list[dict[str, Any]]
    exceptions: list[dict[str, Any]]
    visits: list[dict[str, Any]]
    schedules: list[dict[str, Any]]
    absences: list[dict[str, Any]]
    #: The staff members whose schedules were read, by id: their absences belong to them.
    staff_ids: list[int]


async def read_point_master(point_id: int, first: date, last: date) -> PointMaster | None:
    """The active point's master data for the local days [first, last], or None."""
    sql = SQLITE_SQL if is_sqlite() else POSTGRES_SQL
    since = datetime.combine(first, time(), tzinfo=UTC) - ZONE_MARGIN
    until = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC) + ZONE_MARGIN
    (row,) = await rows.fetch_tuples(
        sql,
        *(point_id, point_id, point_id, point_id),
        *(point_id, first, last, point_id, first, last, point_id, until, since),
    )
    point, weekly, exceptions, visits, schedules, absences = (_loaded(v) for v in row)
    if point is None:
        return None
    schedules = _typed(schedules or [], SCHEDULE)
    return PointMaster(
        point=_typed([point], POINT)[0],
        weekly=_typed(weekly or [], WEEKLY),
        exceptions=_typed(exceptions or [], DATED),
        visits=_typed(visits or [], DATED),
        schedules=schedules,
        absences=_typed(absences or [], ABSENCE),
        staff_ids=sorted({s["staff"] for s in schedules}),
    )


def _loaded(value: Any) -> Any:
    """asyncpg hands json as text, SQLite too; NULL is an empty aggregate."""
    return json.loads(value) if isinstance(value, str) else value


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _optional(convert: Callable[[str], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


_day = _optional(date.fromisoformat)
_time = _optional(time.fromisoformat)
POINT = {"closed_on_holidays": bool, "active": bool}
WEEKLY = {"opens": _time, "closes": _time, "valid_from": _day, "valid_to": _day}
DATED = {"day": _day, "opens": _time, "closes": _time}
SCHEDULE = {"starts": _time, "ends": _time, "valid_from": _day, "valid_to": _day}
ABSENCE = {"starts_at": _instant, "ends_at": _instant}


def _typed(rows: list[dict[str, Any]], types: Mapping[str, Callable[[Any], Any]]) -> list[dict]:
    for r in rows:
        for name, convert in types.items():
            r[name] = convert(r[name])
    return rows
