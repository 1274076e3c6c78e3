"""The waiting list (issue 17, items 1 and 2): waiting_entry and waitlist_offer."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    ForeignKey,
    Serial,
    SmallInt,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2027-01-08T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Waiting list entries and the offers of freed times (issue 17)"


def _stub(name: str, tablename: str) -> type[Table]:
    return type(
        name,
        (Table,),
        {"id": Serial(null=False, primary_key=True, db_column_name="id")},
        tablename=tablename,
        schema=None,
    )


MigrantContact = _stub("MigrantContact", "migrant_contact")
Topic = _stub("Topic", "topic")
Point = _stub("Point", "point")
Region = _stub("Region", "region")
Appointment = _stub("Appointment", "appointment")
WaitingEntry = _stub("WaitingEntry", "waiting_entry")


def _params(**given) -> dict:
    return {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **given,
    }


def _fk(references: type[Table], on_delete: OnDelete, null: bool = False) -> dict:
    return {
        "references": references,
        "on_delete": on_delete,
        "on_update": OnUpdate.cascade,
        "target_column": None,
        "null": null,
        **({"default": None} if null else {}),
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)

    def column(class_name, tablename, name, column_class, **params):
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=_params(**params),
            schema=None,
        )

    entry = ("WaitingEntry", "waiting_entry")
    manager.add_table(class_name=entry[0], tablename=entry[1], schema=None, columns=None)
    column(*entry, "contact", ForeignKey, **_fk(MigrantContact, OnDelete.cascade))
    column(*entry, "language", Varchar, length=12, default="")
    column(*entry, "topic", ForeignKey, **_fk(Topic, OnDelete.restrict))
    column(*entry, "point", ForeignKey, **_fk(Point, OnDelete.restrict, null=True))
    column(*entry, "region", ForeignKey, **_fk(Region, OnDelete.restrict, null=True))
    column(*entry, "windows", Varchar, length=200, default="")
    column(*entry, "status", Varchar, length=10, default="")
    column(*entry, "token_hash", Varchar, length=64, default="", unique=True)
    column(*entry, "code_hash", Varchar, length=64, default=None, null=True)
    column(*entry, "code_attempts", SmallInt, default=0)
    column(*entry, "created_at", Timestamptz, default=TimestamptzNow())
    column(*entry, "joined_at", Timestamptz, default=None, null=True)
    column(*entry, "expires_at", Timestamptz, default=None)
    column(*entry, "updated_at", Timestamptz, default=TimestamptzNow())

    offer = ("WaitlistOffer", "waitlist_offer")
    manager.add_table(class_name=offer[0], tablename=offer[1], schema=None, columns=None)
    column(*offer, "entry", ForeignKey, **_fk(WaitingEntry, OnDelete.cascade))
    column(*offer, "appointment", ForeignKey, **_fk(Appointment, OnDelete.cascade))
    column(*offer, "point", ForeignKey, **_fk(Point, OnDelete.restrict))
    column(*offer, "starts_at", Timestamptz, default=None)
    column(*offer, "status", Varchar, length=10, default="")
    column(*offer, "offered_at", Timestamptz, default=None)
    column(*offer, "until", Timestamptz, default=None)

    return manager
