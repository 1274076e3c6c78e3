"""Inserts tens of thousands of rows in seconds: ids chosen up front and one prepared
statement per table (``executemany``), past Piccolo's query building, which costs more than
the database for rows this many. Only for the demo: it assumes nobody else inserts
meanwhile (on SQLite the caller's write transaction guarantees it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from piccolo.table import Table

from booking.db.rows import fetch_tuples
from booking.db.transactions import engine


async def insert_many(table: type[Table], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Inserts ``rows`` (all with the same columns) inside the current transaction; returns
    their ids in order."""
    if not rows:
        return []
    name = table._meta.tablename
    [(top,)] = await fetch_tuples(f'SELECT COALESCE(MAX("id"), 0) FROM "{name}"')  # noqa: S608
    ids = list(range(top + 1, top + 1 + len(rows)))
    columns = ["id", *rows[0]]
    records = [(i, *row.values()) for i, row in zip(ids, rows, strict=True)]
    quoted = ", ".join(f'"{c}"' for c in columns)
    db = engine()
    connection = db.current_transaction.get().connection
    if db.engine_type == "postgres":
        places = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
        await connection.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({places})', records)  # noqa: S608
        await connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {ids[-1]})"
        )
    else:
        places = ", ".join("?" for _ in columns)
        await connection.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({places})', records)  # noqa: S608
    return ids
