"""Writes the planned demo history in bulk, in one transaction, as a booking would store it:
report stamps, allocations, handovers with invitees, settled messages, erased personal data
past the retention period."""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from typing import Any

from booking.db.tables import (
    Agency,
    Allocation,
    Appointment,
    CallbackRequest,
    Handover,
    InviteAttendee,
    Message,
    MigrantContact,
    Point,
    StaffMember,
    Topic,
)
from booking.db.transactions import write_transaction
from booking.domain.opening_hours import zone
from booking.reports.stamps import stamp
from booking.services import demo_data as data
from booking.services.demo_history.bulk import insert_many
from booking.services.demo_history.plan import (
    AgencyTerms,
    Interpreter,
    PlannedCallback,
    Shift,
    Visit,
    World,
    plan_history,
)
from booking.settings import get_settings

PILOT = "noordoost-brabant"
#: How busy the other regions' points are against the pilot's.
OTHER_REGIONS = 0.3
#: Ofcom's range for drama (+44 7700 900000-900999): numbers that reach nobody.
FICTIONAL = "+447700900"
UNREACHABLE = "30003: Unreachable destination handset"


def _t(text: str) -> time:
    return time.fromisoformat(text)


def world(
    points: dict[str, int], staff: dict[str, int], topics: dict[str, int], agencies: dict[str, int]
) -> World:
    """The demo's hours, people and agency terms, keyed by database id."""
    hours: dict[int, dict[int, list[tuple[time, time]]]] = {}
    for slug, _region, _name, _kind, _address, _city, weekly in data.POINTS:
        for days, opens, closes in weekly:
            for d in days:
                hours.setdefault(points[slug], {}).setdefault(d, []).append((_t(opens), _t(closes)))
    for weekday, opens, closes, *_ in data.BUS_VISITS:
        hours.setdefault(points["bus"], {}).setdefault(weekday, []).append((_t(opens), _t(closes)))
    regions = {p[0]: p[1] for p in data.POINTS}
    return World(
        tz=zone("Europe/Amsterdam"),
        hours={p: {d: tuple(sorted(h)) for d, h in by.items()} for p, by in hours.items()},
        rate={points[s]: 1.0 if r == PILOT else OTHER_REGIONS for s, r in regions.items()},
        walk_ins=frozenset(points[p[0]] for p in data.POINTS if p[3] != "phone"),
        shifts=tuple(
            Shift(staff[name], points[slug], d, _t(a), _t(b))
            for name, _languages, shifts in data.CONSULTANTS
            for slug, days, a, b in shifts
            for d in days
        ),
        speaks={staff[name]: frozenset(languages) for name, languages, _ in data.CONSULTANTS},
        interpreters=tuple(
            Interpreter(staff[name], frozenset(languages), modes, frozenset(days), _t(a), _t(b))
            for name, languages, modes, days, a, b in data.INTERPRETERS
        ),
        agencies=tuple(
            AgencyTerms(
                agencies[slug],
                {d: tuple((_t(o), _t(c), n) for ds, o, c, n in terms if d in ds) for d in range(7)},
                frozenset(topics[t] for t in data.AGENCY_TOPICS.get(slug, ())),
                slug in data.VIDEO_ONLY,
            )
            for slug, terms in data.AGENCY_HOURS.items()
        ),
        topics={topics[slug]: minutes for slug, minutes, *_ in data.TOPICS},
        callback_point=points.get(get_settings().callback_point),
    )


async def _ids(table, key) -> dict[str, int]:
    return {r[key._meta.name]: r["id"] for r in await table.select(table.id, key)}


async def load_history(now: datetime) -> str:
    """Adds a year of history and the coming weeks to the demo (days relative to ``now``'s
    local date), unless it has one; returns a one-line summary."""
    async with write_transaction():
        points = await _ids(Point, Point.slug)
        pilot = [points[p[0]] for p in data.POINTS if p[1] == PILOT and p[0] in points]
        if not pilot:
            return "no demo points: run the demo first"
        if await Appointment.exists().where(
            Appointment.point.is_in(pilot) & (Appointment.starts_at < now - timedelta(days=7))
        ):
            return "demo history already there"
        staff = await _ids(StaffMember, StaffMember.name)
        emails = {
            r["id"]: r["email"] for r in await StaffMember.select(StaffMember.id, StaffMember.email)
        }
        agencies = await Agency.select(Agency.id, Agency.slug, Agency.name, Agency.email)
        the_world = world(
            points, staff, await _ids(Topic, Topic.slug), {a["slug"]: a["id"] for a in agencies}
        )
        today = now.astimezone(the_world.tz).date()
        visits, callbacks = plan_history(the_world, today, now)
        names = {a["id"]: (a["name"], a["email"]) for a in agencies}
        await _write(visits, names, emails, the_world, now)
        await _write_callbacks(callbacks)
    handovers = sum(1 for v in visits if v.handover)
    return f"demo history added: {len(visits)} appointments ({handovers} warm handovers), {len(callbacks)} call-backs"


def _phone(n: int) -> str:
    return f"{FICTIONAL}{n % 1000:03d}"


async def _write(
    visits: list[Visit],
    agencies: dict[int, tuple[str, str]],
    emails: dict[int, str],
    the_world: World,
    now: datetime,
) -> None:
    kept = now - timedelta(days=get_settings().retention_days)
    recent = [i for i, v in enumerate(visits) if v.ends_at > kept]
    contact_ids = await insert_many(
        MigrantContact,
        [
            {
                "phone": _phone(i),
                "language": visits[i].language,
                "first_name": visits[i].first_name,
                "created_at": visits[i].created_at,
                "erase_requested_at": None,
            }
            for i in recent
        ],
    )
    contact_of = dict(zip(recent, contact_ids, strict=True))
    tz = the_world.tz
    ids = await insert_many(
        Appointment, [_appointment(v, contact_of.get(i), kept, tz) for i, v in enumerate(visits)]
    )
    allocations, handovers, attendees, messages = [], [], [], []
    for index, (visit, appointment_id) in enumerate(zip(visits, ids, strict=True)):
        allocations += _allocations(visit, appointment_id)
        if visit.handover is not None:
            handovers.append(_handover(visit, appointment_id))
            attendees += _attendees(visit, appointment_id, agencies, emails)
        messages += [
            {
                "channel": Message.SMS,
                "kind": m.kind,
                "appointment": appointment_id,
                "appointment_sequence": 0,
                "contact": contact_of.get(index),
                "email": None,
                "language": visit.language,
                "body": "",
                "seed": None,
                "status": m.status,
                "due_at": m.at,
                "lease_until": None,
                "attempts": 1,
                "provider_id": None,
                "last_error": UNREACHABLE if m.status == Message.FAILED else None,
                "created_at": m.at,
                "sent_at": m.at,
            }
            for m in visit.messages
        ]
    # Latest first: SQLite's no-overlap trigger then finds no earlier start to look past.
    allocations.sort(key=lambda row: row["starts_at"], reverse=True)
    await insert_many(Allocation, allocations)
    await insert_many(Handover, handovers)
    await insert_many(InviteAttendee, attendees)
    await insert_many(Message, messages)


def _appointment(visit: Visit, contact: int | None, kept: datetime, tz) -> dict[str, Any]:
    erased = None if contact is not None else max(visit.ends_at, kept) + timedelta(days=90)
    return {
        "point": visit.point,
        "topic": visit.topic,
        "contact": contact,
        "language": visit.language,
        "channel": visit.channel,
        "status": visit.status,
        "starts_at": visit.starts_at,
        "ends_at": visit.ends_at,
        "held_until": None,
        "manage_token_hash": None,
        "manage_salt": None,
        "sequence": 0,
        "code_hash": None,
        "code_attempts": 0,
        "reply_confirmed_at": visit.starts_at - timedelta(hours=20) if visit.will_come else None,
        "created_at": visit.created_at,
        "updated_at": visit.created_at,
        "erased_at": erased,
        **stamp(visit.starts_at, visit.created_at, tz).columns(),
    }


def _allocations(visit: Visit, appointment_id: int) -> list[dict[str, Any]]:
    """What the visit holds: its consultant, interpreter and agency place."""
    held = [(Allocation.CONSULTANT, f"staff:{visit.staff}", visit.staff, None)]
    if visit.interpreter is not None:
        held.append((Allocation.INTERPRETER, f"staff:{visit.interpreter}", visit.interpreter, None))
    if (h := visit.handover) is not None:
        held.append((Allocation.AGENCY, f"agency:{h.agency}:{h.agency_place}", None, h.agency))
    return [
        {
            "appointment": appointment_id,
            "resource": resource,
            "role": role,
            "staff": staff_id,
            "agency": agency_id,
            "starts_at": visit.starts_at,
            "ends_at": visit.ends_at,
            "live": visit.status != Appointment.CANCELLED,
            "expires_at": None,
        }
        for role, resource, staff_id, agency_id in held
    ]


def _handover(visit: Visit, appointment_id: int) -> dict[str, Any]:
    h = visit.handover
    assert h is not None
    video = h.place == Handover.BY_VIDEO or h.interpreter_mode == StaffMember.BY_VIDEO
    return {
        "appointment": appointment_id,
        "agency": h.agency,
        "origin": None,
        "place": h.place,
        "interpreter_language": visit.language,
        "interpreter_mode": h.interpreter_mode,
        "consultant_joins": True,
        "note": "",
        "room": f"loket-demo-{hashlib.sha256(str(appointment_id).encode()).hexdigest()[:12]}"
        if video
        else "",
        "declined_at": None,
        "outcome": h.outcome,
        "outcome_at": visit.ends_at if h.outcome else None,
    }


def _attendees(
    visit: Visit, appointment_id: int, agencies: dict[int, tuple[str, str]], emails: dict[int, str]
) -> list[dict[str, Any]]:
    """The agency, the interpreter and the consultant; the agency may not have answered yet."""
    h = visit.handover
    assert h is not None
    name, email = agencies[h.agency]
    people = [
        (InviteAttendee.AGENCY, name, email, None, h.agency, h.answered),
        (
            InviteAttendee.INTERPRETER,
            "",
            emails.get(visit.interpreter or 0, ""),
            visit.interpreter,
            None,
            True,
        ),
        (InviteAttendee.CONSULTANT, "", emails.get(visit.staff, ""), visit.staff, None, True),
    ]
    return [
        {
            "appointment": appointment_id,
            "role": role,
            "name": who,
            "email": address,
            "staff": staff_id,
            "agency": agency_id,
            "partstat": InviteAttendee.ACCEPTED if answered else InviteAttendee.NEEDS_ACTION,
            "active": True,
            "invited_sequence": 0,
        }
        for role, who, address, staff_id, agency_id, answered in people
        if address
    ]


async def _write_callbacks(callbacks: list[PlannedCallback]) -> None:
    """Call-backs; the open ones keep a (fictional) number to call."""
    rows = []
    for n, c in enumerate(callbacks):
        contact = None
        if c.status == CallbackRequest.OPEN:
            [contact] = await insert_many(
                MigrantContact,
                [
                    {
                        "phone": _phone(500 + n),
                        "language": c.language,
                        "first_name": None,
                        "created_at": c.created_at,
                        "erase_requested_at": None,
                    }
                ],
            )
        rows.append(
            {
                "point": c.point,
                "contact": contact,
                "language": c.language,
                "status": c.status,
                "created_at": c.created_at,
                "done_at": c.done_at,
                "done_by": None,
            }
        )
    await insert_many(CallbackRequest, rows)
