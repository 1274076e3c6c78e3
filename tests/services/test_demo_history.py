"""The demo's year of history (issue 16): on a fresh database ``loket demo``'s two steps give
today's agenda and the region report real content, a second run adds nothing, and the plan
itself is seeded and never double-books a consultant, interpreter or agency place."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from datetime import UTC, date, datetime

from booking.db.tables import (
    Agency,
    Allocation,
    Appointment,
    CallbackRequest,
    Message,
    MigrantContact,
    Point,
    StaffMember,
    Topic,
)
from booking.services import agenda, reports
from booking.services.demo import load_demo
from booking.services.demo_history import load_history
from booking.services.demo_history.load import FICTIONAL, world
from booking.services.demo_history.plan import plan_history
from booking.services.point_setup import Catalog

#: Tuesday 1 December 2026, 14:00 in Amsterdam: an evening-opening day at Veghel.
NOW = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)


async def _counts() -> dict[str, int]:
    return {
        t._meta.tablename: await t.count()
        for t in (Appointment, Allocation, Message, MigrantContact, CallbackRequest)
    }


async def test_a_fresh_demo_has_a_year_of_history_once(db):
    await load_demo(TODAY)
    started = time.monotonic()
    summary = await load_history(NOW)
    took = time.monotonic() - started
    assert summary.startswith("demo history added"), summary
    assert took < 60, f"the history took {took:.0f} s"
    counts = await _counts()
    assert 10_000 <= counts["appointment"] <= 30_000

    veghel = await Point.select(Point.id, Point.region).where(Point.slug == "veghel").first()
    today = await agenda.day(day=TODAY, timezone="Europe/Amsterdam", point_ids=[veghel["id"]])
    assert len(today) >= 5
    assert {i.status for i in today} >= {Appointment.DONE, Appointment.CONFIRMED}

    report = await reports.build(Catalog(), veghel["region"], reports.default_period(TODAY))
    assert report.by_topic.total.count > 1_000 and not report.by_topic.total.hidden
    assert sum(not cell.hidden for _, cell in report.by_language.rows) >= 4
    assert report.handovers_by_agency.total.count > 50
    assert report.interpreter_sessions.total.count > 50
    assert all(not cell.hidden for _, cell in report.by_week[:-1])

    channels = Counter(r["channel"] for r in await Appointment.select(Appointment.channel))
    assert set(channels) == set(Appointment.CHANNELS)
    statuses = Counter(
        r["status"]
        for r in await Appointment.select(Appointment.status).where(Appointment.starts_at < NOW)
    )
    assert statuses[Appointment.DONE] > statuses[Appointment.NO_SHOW] > 0
    assert statuses[Appointment.CANCELLED] > 0
    sent = Counter(r["status"] for r in await Message.select(Message.status))
    assert set(sent) == {Message.SENT, Message.DELIVERED, Message.FAILED}
    phones = [r["phone"] for r in await MigrantContact.select(MigrantContact.phone)]
    assert phones and all(p.startswith(FICTIONAL) for p in phones if p)
    # Personal data past the retention period is already erased, as the job would have.
    old = await Appointment.select(Appointment.contact, Appointment.erased_at).where(
        Appointment.starts_at < datetime(2026, 6, 1, tzinfo=UTC)
    )
    assert old and all(r["contact"] is None and r["erased_at"] for r in old)

    assert await load_history(NOW) == "demo history already there"
    assert await _counts() == counts


async def test_the_plan_is_seeded_and_never_double_books(db):
    await load_demo(TODAY)
    ids = {
        "points": {r["slug"]: r["id"] for r in await Point.select(Point.id, Point.slug)},
    }
    the_world = world(
        ids["points"],
        {r["name"]: r["id"] for r in await StaffMember.select(StaffMember.id, StaffMember.name)},
        {r["slug"]: r["id"] for r in await Topic.select(Topic.id, Topic.slug)},
        {r["slug"]: r["id"] for r in await Agency.select(Agency.id, Agency.slug)},
    )
    first = plan_history(the_world, TODAY, NOW, days_back=60, days_ahead=14)
    assert first == plan_history(the_world, TODAY, NOW, days_back=60, days_ahead=14)
    for seed in (1, 2, 3):
        visits, _ = plan_history(the_world, TODAY, NOW, days_back=60, days_ahead=14, seed=seed)
        held: dict[object, list[tuple[datetime, datetime]]] = {}
        for v in visits:
            if v.status == Appointment.CANCELLED:
                continue
            keys = [
                v.staff,
                v.interpreter,
                v.handover and ("agency", v.handover.agency, v.handover.agency_place),
            ]
            for key in filter(None, keys):
                held.setdefault(key, []).append((v.starts_at, v.ends_at))
        for spans in held.values():
            spans.sort()
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
        assert all(v.created_at <= NOW for v in visits)
        assert all(
            v.status == Appointment.CONFIRMED
            or v.starts_at <= NOW
            or v.status == Appointment.CANCELLED
            for v in visits
        )
