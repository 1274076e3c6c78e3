"""Piccolo's PostgreSQL engine, with an honest version line at start-up.

Piccolo logs the server version as a float ("15.18" is fine, "16.10" reads "16.1") and
warns in colour; Loket logs the server's own string once and a plain warning when the
server cannot be reached yet (``/ready`` reports that state while it lasts).
"""

from __future__ import annotations

import logging

from piccolo.engine.postgres import PostgresEngine

log = logging.getLogger(__name__)

#: The oldest release Loket is tested on (its exclusion constraints need btree_gist).
MIN_POSTGRES = 15


class LoketPostgresEngine(PostgresEngine):
    async def check_version(self) -> None:
        try:
            rows = await self._run_in_new_connection("SHOW server_version")
        except Exception as error:  # any connect failure; the DSN (a password) is never logged
            log.warning("PostgreSQL is not reachable yet (%s)", type(error).__name__)
            return
        version = rows[0]["server_version"].split(" ")[0]
        log.info("PostgreSQL %s", version)
        if int(version.split(".")[0]) < MIN_POSTGRES:
            log.warning("PostgreSQL %s is older than %d, which Loket needs", version, MIN_POSTGRES)
