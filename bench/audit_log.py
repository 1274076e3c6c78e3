"""Audit log viewer benchmark (issue 10 item 7): one page of each filter over a large log.

Seeds BENCH_AUDIT_ENTRIES entries (default 300,000) by 200 logins in two regions about
20,000 appointments, then times ``search.page`` (50 entries) for each filter, a deep page
by keyset and a coordinator's region, and on PostgreSQL prints the plans' index names.
Run as ``python -m bench.audit_log`` (a fresh SQLite file unless DATABASE_URL names one).
Not a test: numbers on a shared machine vary; what matters is that no page grows with the
size of the log.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'audit-bench.sqlite'}"

from bench.common import percentile
from booking.db.migrate import migrate
from booking.db.tables import AuditEntry, MigrantContact, Point, Region, Topic
from booking.db.transactions import close_pool, engine, open_pool, write_transaction
from booking.domain.policy import Policy
from booking.services.audit import search
from booking.services.audit.search import Filter
from booking.settings import get_settings

ENTRIES = int(os.environ.get("BENCH_AUDIT_ENTRIES", "300000"))
APPOINTMENTS, ACCOUNTS, ROUNDS = 20_000, 200, 20
START = datetime(2026, 1, 1, tzinfo=UTC)
PHONE = "+48600000007"


async def seed(postgres: bool) -> dict[str, int]:
    """Rows written in bulk by the engine itself; entries one a minute from START."""
    async with write_transaction():
        regions = [
            (await Region.insert(Region(code=code, name=code)))[0]["id"]
            for code in ("bench-north", "bench-west")
        ]
        points = [
            (await Point.insert(Point(region=r, slug=f"p{r}", name=f"P{r}", kind="physical")))[0][
                "id"
            ]
            for r in regions
        ]
        topic = (await Topic.insert(Topic(slug="bench", name={"en": "Bench"})))[0]["id"]
    series = (
        "generate_series(1, {n}) AS s(i)"
        if postgres
        else "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})"
        " SELECT i FROM s) AS s"
    )
    if postgres:
        at = "TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(mins => i)"
        phone = "'+48600' || lpad(i::text, 6, '0')"
        created = "now()"
    else:
        at = "strftime('%Y-%m-%d %H:%M:%S+00:00', '2026-01-01', '+' || i || ' minutes')"
        phone = "'+48600' || substr('000000' || i, -6, 6)"
        created = "'2026-01-01 00:00:00+00:00'"
    run = engine().run_ddl
    await run(
        "INSERT INTO staff_account (email, name, password_hash, role, region, language,"  # noqa: S608 (the bench's own constants)
        " failed_logins, active, created_at) SELECT 'bench' || i || '@example.org',"
        f" 'Bench ' || i, 'x', 'consultant', CASE WHEN i % 2 = 0 THEN {regions[0]}"
        f" ELSE {regions[1]} END, 'nl', 0, TRUE, {created}"
        f" FROM {series.format(n=ACCOUNTS)}"
    )
    await run(
        f"INSERT INTO migrant_contact (phone, language, created_at) SELECT {phone}, 'pl',"  # noqa: S608 (the bench's own constants)
        f" {created} FROM {series.format(n=APPOINTMENTS)}"
    )
    await run(
        "INSERT INTO appointment (point, topic, contact, language, channel, status, starts_at,"  # noqa: S608 (the bench's own constants)
        " ends_at, sequence, code_attempts, created_at, updated_at) SELECT CASE WHEN i % 2 = 0"
        f" THEN {points[0]} ELSE {points[1]} END, {topic}, i, 'pl', 'online', 'done',"
        f" {created}, {created}, 0, 0, {created}, {created} FROM {series.format(n=APPOINTMENTS)}"
    )
    first_account = (await AuditEntry.raw("SELECT min(id) AS id FROM staff_account"))[0]["id"]
    await run(
        "INSERT INTO audit_entry (at, account, action, subject)"  # noqa: S608 (the bench's own constants)
        f" SELECT {at}, {first_account} + i % {ACCOUNTS}, CASE WHEN i % 10 = 0 THEN"
        " 'changed_status' ELSE 'viewed_appointment' END, 'appointment:'"
        f" || (1 + i % {APPOINTMENTS}) || CASE WHEN i % 10 = 0 THEN ':done' ELSE '' END"
        f" FROM {series.format(n=ENTRIES)}"
    )
    if postgres:
        await run("ANALYZE")
    return {"north": regions[0], "account": first_account + 2}


async def sample(wanted: Filter, region_id: int | None, before: int | None = None) -> list[float]:
    policy, samples = Policy.from_settings(get_settings()), []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        found = await search.page(policy, wanted, region_id, before)
        samples.append((time.perf_counter() - started) * 1000)
    assert found.entries, wanted
    return samples


async def plan(wanted: Filter, region_id: int | None) -> str:
    """The indexes PostgreSQL's plan for the filter's page uses."""
    query = await search._query(Policy.from_settings(get_settings()), wanted, region_id)
    sql = str(query.order_by(AuditEntry.id, ascending=False).limit(51))
    rows = await AuditEntry.raw(f"EXPLAIN {sql}")
    text = " ".join(r["QUERY PLAN"] for r in rows)
    return (
        ", ".join(
            sorted(set(re.findall(r"(?:Scan using|Scan Backward using|Index Scan on) (\w+)", text)))
        )
        or "no index"
    )


async def main() -> None:
    settings = get_settings()
    await migrate(settings)
    await open_pool()
    try:
        if await AuditEntry.count():
            raise SystemExit("bench.audit_log needs an empty database")
        seeded = await seed(settings.is_postgres)
        total = await AuditEntry.count()
        middle = (await AuditEntry.select(AuditEntry.id).order_by(AuditEntry.id).offset(
            total // 10).first())["id"]  # fmt: skip
        phone_of = await MigrantContact.select(MigrantContact.phone).where(
            MigrantContact.id == 7
        ).first()  # fmt: skip
        long_ago = (START + timedelta(minutes=ENTRIES // 10)).date()
        cases = [
            ("newest, admin", Filter(), None, None),
            ("newest, coordinator's region", Filter(), seeded["north"], None),
            ("one staff member", Filter(staff_id=seeded["account"]), None, None),
            ("one appointment", Filter(appointment_id=7), None, None),
            ("one phone number", Filter(phone=phone_of["phone"]), None, None),
            ("one day, long ago", Filter(first=long_ago, last=long_ago), None, None),
            ("deep page (keyset), admin", Filter(), None, middle),
        ]  # fmt: skip
        print(f"audit log: {total:,} entries, {'PostgreSQL' if settings.is_postgres else 'SQLite'}")
        for name, wanted, region_id, before in cases:
            samples = await sample(wanted, region_id, before)
            used = f"   {await plan(wanted, region_id)}" if settings.is_postgres else ""
            print(
                f"  {name:<32} p50 {statistics.median(samples):7.2f} ms"
                f"   p99 {percentile(samples, 0.99):7.2f} ms{used}"
            )
    finally:
        await close_pool()


if __name__ == "__main__":
    asyncio.run(main())
