"""Hot-path reads as plain tuples through each engine's own driver.

Piccolo turns every row into a dict, which for the thousands of rows of a 4-week slot
search costs more than the query. Placeholders are Piccolo's ``{}`` (compiled per engine);
inside a transaction the transaction's connection is used, so its own writes are seen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from piccolo.querystring import QueryString
from piccolo.table import Table

from booking.db.sqlite_engine import ReaderSQLiteEngine
from booking.db.transactions import engine


async def fetch_tuples(sql: str, *args: Any) -> Sequence[Sequence[Any]]:
    db = engine()
    query, values = QueryString(sql, *args).compile_string(engine_type=db.engine_type)
    transaction = db.current_transaction.get()
    if db.engine_type == "postgres":
        if transaction is not None:
            return await transaction.connection.fetch(query, *values)
        if db.pool is not None:
            async with db.pool.acquire() as connection:
                return await connection.fetch(query, *values)
        connection = await db.get_new_connection()
        try:
            return await connection.fetch(query, *values)
        finally:
            await connection.close()
    if transaction is not None:
        async with transaction.connection.execute(query, values) as cursor:
            return [tuple(row.values()) for row in await cursor.fetchall()]
    if isinstance(db, ReaderSQLiteEngine):
        return await db.read_tuples(query, values)
    raise RuntimeError(f"fetch_tuples does not know engine {type(db).__name__}")


async def insert_returning_id(table: type[Table], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Inserts ``rows`` (column name -> value, all rows with the same columns) and returns
    their ids, without building Table objects: the hot path of a booking writes four rows,
    and Piccolo's per-row objects and query building cost more than the statements.

    Every column the row needs must be given; database defaults are not relied on, because
    on SQLite they would store instants in another text format than Piccolo does.
    """
    names = list(rows[0])
    columns = ", ".join(
        f'"{table._meta.get_column_by_name(n)._meta.db_column_name}"' for n in names
    )
    values = ", ".join("(" + ", ".join("{}" for _ in names) + ")" for _ in rows)
    found = await fetch_tuples(
        f'INSERT INTO "{table._meta.tablename}" ({columns}) VALUES {values} RETURNING "id"',  # noqa: S608
        *(row[n] for row in rows for n in names),
    )
    return [row[0] for row in found]
