"""National-scale benchmark data on PostgreSQL (issue 12), shared by bench.reports and
bench.national: regions, points with opening hours, bookable consultants and a year of
appointments, written by COPY and set-based INSERTs so a million rows take minutes."""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from booking.db.migrate import migrate
from booking.db.tables import Agency, Point, Region, Topic
from booking.db.transactions import engine, open_pool
from booking.domain.opening_hours import zone
from booking.reports.stamps import stamp
from booking.services.auth.accounts import create_account
from booking.services.rollup import refresh as rollup
from booking.settings import get_settings
from tests.staff_login import PASSWORD

TOPICS = 14
TZ = zone("Europe/Amsterdam")
LANGUAGES = ["pl"] * 5 + ["ro"] * 3 + ["bg", "uk", "uk", "lt", "hu", "nl", "en"]
CHANNELS = ["online"] * 6 + ["phone"] * 2 + ["walk_in", "handover"]
PAST = ["done"] * 14 + ["no_show"] * 2 + ["arrived", "cancelled", "cancelled"]
#: Weekday, opens, closes: office hours, two evenings and a Saturday morning.
HOURS = [(d, 9, 17) for d in range(5)] + [(1, 17, 21), (3, 17, 21), (5, 10, 14)]
COLUMNS = (
    "point", "topic", "language", "channel", "status", "starts_at", "ends_at", "sequence",
    "code_attempts", "created_at", "updated_at", "local_date", "local_weekday", "local_hour",
    "lead_days", "lead_minutes",
)  # fmt: skip
HANDOVER_COLUMNS = (
    "appointment", "agency", "place", "interpreter_language", "interpreter_mode",
    "consultant_joins", "note", "room", "outcome",
)  # fmt: skip


@dataclass(frozen=True)
class Size:
    """How much to seed; ``staff`` consultants are spread evenly over the points."""

    name: str
    regions: int
    points: int
    staff: int
    appointments: int


SIZES = {
    "S": Size("S", regions=1, points=200, staff=2_000, appointments=50_000),
    "M": Size("M", regions=35, points=1_000, staff=10_000, appointments=1_000_000),
}


@dataclass(frozen=True)
class Seeded:
    regions: list[int]
    points: list[int]
    topics: list[int]
    handovers: int


async def seeded_postgres(bench: str, size: Size) -> tuple[date, Seeded, float]:
    """Today, what ``seed`` wrote and its seconds, on a migrated PostgreSQL with the pool
    open (the caller closes it); any other engine ends the run with how to start it. The
    worker's report roll-up then takes in the seeded year, timed, as in production."""
    settings = get_settings()
    if not settings.is_postgres:
        sys.exit(f"bench.{bench} runs on PostgreSQL: scripts/with-postgres python -m bench.{bench}")
    await migrate(settings)
    await open_pool(min_size=1, max_size=4)
    today = datetime.now(TZ).date()
    started = time.perf_counter()
    seeded = await seed(size, today, random.Random(12))
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    days = await rollup.refresh(datetime.now(UTC).date())
    await engine().run_ddl("ANALYZE report_day")
    print(
        f"report roll-up of the seeded year: {days} days in {time.perf_counter() - started:.1f} s"
    )
    return today, seeded, seconds


def year_before(today: date) -> date:
    """The first day of the same month a year ago: 13 calendar months up to today."""
    return date(today.year - 1, today.month, 1)


async def seed(size: Size, today: date, rng: random.Random) -> Seeded:
    """The master data, then the past appointments by COPY, a handover row for each
    handover and an interpreter for one appointment in nine (own resources: no overlap),
    and an admin and a coordinator of the first region (bench@ addresses, tests' password)."""
    regions = [
        (await Region.insert(Region(code=f"r{n:02d}", name=f"Region {n:02d}")))[0]["id"]
        for n in range(size.regions)
    ]
    points = [
        r["id"]
        for r in await Point.insert(
            *(
                Point(
                    region=regions[n % size.regions],
                    slug=f"p{n:04d}",
                    name=f"Point {n:04d}",
                    kind="physical",
                )
                for n in range(size.points)
            )
        )
    ]
    topics = [
        r["id"]
        for r in await Topic.insert(
            *(Topic(slug=f"t{n:02d}", name={"en": f"Topic {n}"}) for n in range(TOPICS))
        )
    ]
    agencies = [
        r["id"]
        for r in await Agency.insert(
            *(
                Agency(slug=f"a{n:02d}", name=f"Agency {n}", region=regions[n])
                for n in range(size.regions)
            )
        )
    ]
    region_of = {p: regions[n % size.regions] for n, p in enumerate(points)}
    agency_of = dict(zip(regions, agencies, strict=True))
    records = _appointments(size, points, topics, today, rng)
    async with engine().pool.acquire() as connection:
        await _bookable(connection, size.staff)
        await connection.copy_records_to_table("appointment", records=records, columns=COLUMNS)
        handovers = await connection.fetch(
            "SELECT id, point, status FROM appointment WHERE channel = 'handover'"
        )
        outcomes = ["took_place"] * 6 + ["migrant_absent", "agency_absent", None]
        await connection.copy_records_to_table(
            "handover",
            records=[
                (
                    h["id"],
                    agency_of[region_of[h["point"]]],
                    "agency",
                    "uk",
                    "on_site",
                    True,
                    "",
                    "",
                    rng.choice(outcomes) if h["status"] != "confirmed" else None,
                )
                for h in handovers
            ],
            columns=HANDOVER_COLUMNS,
        )
        await connection.execute(
            "INSERT INTO allocation (appointment, resource, role, starts_at, ends_at, live)"
            " SELECT id, 'bench:' || id, 'interpreter', starts_at, ends_at, status <> 'cancelled'"
            " FROM appointment WHERE id % 9 = 0"
        )
        # As autovacuum would after the inserts: index-only scans need the visibility map.
        await connection.execute("VACUUM ANALYZE")
    await create_account(
        email="admin@bench.example", name="Admin", password=PASSWORD, role="admin", language="en"
    )
    await create_account(
        email="coordinator@bench.example",
        name="Coordinator",
        password=PASSWORD,
        role="coordinator",
        region_id=regions[0],
        language="en",
    )
    return Seeded(regions, points, topics, len(handovers))


def _appointments(
    size: Size, points: list[int], topics: list[int], today: date, rng: random.Random
) -> list[tuple]:
    """COPY records of ``size.appointments`` appointments over the 13 months up to today,
    with their stored local fields."""
    first, now = year_before(today), datetime.now(UTC)
    records = []
    for _ in range(size.appointments):
        day = first + timedelta(days=rng.randrange((today - first).days + 1))
        local = datetime.combine(day, clock(rng.randrange(9, 21), rng.choice((0, 15, 30, 45))))
        start = local.replace(tzinfo=TZ).astimezone(UTC)
        made = start - timedelta(minutes=rng.randrange(30, 56 * 24 * 60))
        status = rng.choice(PAST) if day < today else rng.choice(("confirmed", "cancelled"))
        s = stamp(start, made, TZ)
        row = (rng.choice(points), rng.choice(topics), rng.choice(LANGUAGES))
        row += (rng.choice(CHANNELS), status, start, start + timedelta(minutes=30), 0, 0)
        row += (made, now, s.local_date, s.local_weekday, s.local_hour, s.lead_days)
        records.append((*row, s.lead_minutes))
    return records


async def _bookable(connection, staff: int) -> None:
    """Opening hours at every point and ``staff`` consultants (Polish and one more
    language) spread round-robin over the points, working the point's hours, in SQL."""
    await connection.execute(
        "INSERT INTO opening_hours (point, weekday, opens, closes)"
        " SELECT p.id, h.d, h.a, h.b FROM point p"
        " CROSS JOIN unnest($1::smallint[], $2::time[], $3::time[]) AS h(d, a, b)",
        [d for d, _, _ in HOURS],
        [clock(a) for _, a, _ in HOURS],
        [clock(b) for _, _, b in HOURS],
    )
    await connection.execute(
        "INSERT INTO staff_member (name, kind, languages, interpreter_modes, email, active)"
        " SELECT 'Consultant ' || n, 'consultant',"
        " ARRAY['nl', 'pl', (ARRAY['ro', 'bg', 'uk', 'lt'])[1 + n % 4]]::varchar[],"
        " ARRAY['phone']::varchar[], '', true FROM generate_series(0, $1 - 1) AS n",
        staff,
    )
    await connection.execute(
        "INSERT INTO staff_point (staff, point)"
        " SELECT s.id, p.id FROM"
        " (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM staff_member) s JOIN"
        " (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS k"
        "  FROM point) p ON p.n = s.n % p.k"
    )
    await connection.execute(
        "UPDATE staff_member m SET region = p.region FROM staff_point sp JOIN point p"
        " ON p.id = sp.point WHERE sp.staff = m.id"
    )
    await connection.execute(
        "INSERT INTO staff_schedule (staff, point, weekday, starts, ends)"
        " SELECT sp.staff, sp.point, h.weekday, h.opens, h.closes"
        " FROM staff_point sp JOIN opening_hours h ON h.point = sp.point"
    )
