"""The audit log as CSV, written while it is read, so an export of millions of entries
never sits in memory. A cell a spreadsheet would run as a formula (a name such as
"=HYPERLINK(...)") is made plain text with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable
from datetime import datetime

from booking.domain.opening_hours import zone
from booking.domain.policy import Policy
from booking.reports.sheets import FORMULA_START
from booking.services.audit import trail
from booking.services.audit.search import LOG_ZONE, Entry, Filter, every_entry

#: Rows written to one chunk of the stream.
CHUNK_ROWS = 200


async def export(
    policy: Policy,
    wanted: Filter,
    region_id: int | None,
    header: tuple[str, ...],
    *,
    account_id: int,
    now: datetime,
) -> AsyncIterator[str]:
    """The stream of ``csv_chunks``, once the export is in the log (the filter, and for a
    number its keyed hash, never the number). It holds the entries older than its own, so
    what is written while it streams does not slip in."""
    own = await trail.record(
        account_id, trail.AUDIT_EXPORTED, wanted.subject(policy), now, wanted.detail()
    )
    return csv_chunks(policy, wanted, region_id, header, before=own)


async def csv_chunks(
    policy: Policy,
    wanted: Filter,
    region_id: int | None,
    header: tuple[str, ...],
    before: int | None = None,
) -> AsyncIterator[str]:
    """The header (already in the reader's language), then one row per entry, newest first;
    times in the Netherlands' zone with their offset."""
    yield "\ufeff" + _text([list(header)])  # the byte order mark: spreadsheets read UTF-8
    rows: list[list[str]] = []
    async for entry in every_entry(policy, wanted, region_id, before):
        rows.append(row(entry))
        if len(rows) >= CHUNK_ROWS:
            yield _text(rows)
            rows = []
    if rows:
        yield _text(rows)


def row(entry: Entry) -> list[str]:
    return [
        entry.at.astimezone(zone(LOG_ZONE)).isoformat(),
        str(entry.account_id),
        entry.account_name,
        entry.account_email,
        entry.account_role,
        entry.action,
        entry.subject,
        entry.detail or "",
    ]


def plain(cell: str) -> str:
    """``=SUM(A1)`` -> ``'=SUM(A1)``: shown as typed, never run."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _text(rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for cells in rows:
        writer.writerow([plain(c) for c in cells])
    return out.getvalue()
