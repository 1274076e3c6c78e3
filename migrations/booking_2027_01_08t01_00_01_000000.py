"""The waiting list's guarantees: one live offer per person and one per time (point, start),
and the indexes of the list's order and of an appointment's offer."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2027-01-08T01:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes: live waitlist offers unique per entry and per slot; the list's order"

UP = [
    "CREATE UNIQUE INDEX waitlist_offer_live_entry ON waitlist_offer (entry)"
    " WHERE status = 'live'",
    "CREATE UNIQUE INDEX waitlist_offer_live_slot ON waitlist_offer (point, starts_at)"
    " WHERE status = 'live'",
    "CREATE INDEX waitlist_offer_appointment ON waitlist_offer (appointment)",
    "CREATE INDEX waiting_entry_line ON waiting_entry (status, joined_at)",
    "CREATE INDEX waiting_entry_contact ON waiting_entry (contact)",
]
DOWN = [
    "DROP INDEX waiting_entry_contact",
    "DROP INDEX waiting_entry_line",
    "DROP INDEX waitlist_offer_appointment",
    "DROP INDEX waitlist_offer_live_slot",
    "DROP INDEX waitlist_offer_live_entry",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        for sql in UP:
            await engine.run_ddl(sql)

    async def down() -> None:
        for sql in DOWN:
            await engine.run_ddl(sql)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
