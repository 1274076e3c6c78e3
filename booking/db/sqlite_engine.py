"""Piccolo's SQLite engine, with one long-lived connection for reads outside transactions.

Piccolo opens a new aiosqlite connection (a new thread) for every query outside a
transaction and runs a PRAGMA before each statement; for the read-heavy slot search that
costs more than the queries. Here plain SELECTs go to one ``sqlite3`` connection owned by a
single worker thread, which also exits cleanly with the process. Writes and transactions
keep Piccolo's own path, so locking behaviour (BEGIN IMMEDIATE) is unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, dict_factory
from piccolo.querystring import QueryString

log = logging.getLogger(__name__)

#: Upsert and RETURNING, which Loket's queries use.
MIN_SQLITE = (3, 35)


class ReaderSQLiteEngine(SQLiteEngine):
    __slots__ = ("_reader", "_reader_thread")

    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._reader: sqlite3.Connection | None = None
        self._reader_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-reader")

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False):
        if self.current_transaction.get() is not None:
            return await super().run_querystring(querystring, in_pool=in_pool)
        query, args = querystring.compile_string(engine_type=self.engine_type)
        if query.lstrip()[:6].upper() != "SELECT":
            return await super().run_querystring(querystring, in_pool=in_pool)
        return await self._on_reader(query, args, dict_factory)

    async def read_tuples(self, query: str, args: list[Any]) -> list[tuple]:
        """A compiled SELECT on the reader connection, rows as tuples (see booking.db.rows)."""
        return await self._on_reader(query, args, None)

    async def _on_reader(self, query: str, args: list[Any], row_factory: Any) -> list:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._reader_thread, self._read, query, args, row_factory)

    def _read(self, query: str, args: list[Any], row_factory: Any) -> list:
        """Runs on the reader thread only, so the connection never crosses threads."""
        if self._reader is None:
            self._reader = sqlite3.connect(**self.connection_kwargs, check_same_thread=False)
            self._reader.execute("PRAGMA foreign_keys = 1")
        cursor = self._reader.cursor()
        cursor.row_factory = row_factory
        return cursor.execute(query, args).fetchall()

    async def check_version(self) -> None:
        """Names the real library version: Piccolo's float turns 3.40 into "3.4"."""
        log.info("SQLite %s", sqlite3.sqlite_version)
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            log.warning(
                "SQLite %s is older than %s: RETURNING and more are missing",
                sqlite3.sqlite_version,
                ".".join(map(str, MIN_SQLITE)),
            )
