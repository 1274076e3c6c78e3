"""Hot-path reads as plain tuples through each engine's own driver.

Piccolo turns every row into a dict, which for the thousands of rows of a 4-week slot
search costs more than the query. Placeholders are Piccolo's ``{}`` (compiled per engine);
inside a transaction the transaction's connection is used, so its own writes are seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from piccolo.querystring import QueryString

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
