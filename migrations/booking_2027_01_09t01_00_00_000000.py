"""The walk-in queue (issue 17): QueueEntry, KioskLink, and each appointment's waiting
time. The unique number per point and day follows in the next migration: Piccolo runs raw
SQL before it adds tables."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Point(Table, tablename="point", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Topic(Table, tablename="topic", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class MigrantContact(Table, tablename="migrant_contact", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Appointment(Table, tablename="appointment", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


ID = "2027-01-09T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Walk-in queue, kiosk links and waiting times (issue 17)"


def _params(**given) -> dict:
    return {
        "default": None,
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


def _key(table: type[Table], on_delete: OnDelete, null: bool) -> tuple[type, dict]:
    return ForeignKey, _params(
        references=table, on_delete=on_delete, on_update=OnUpdate.cascade, target_column=None,
        null=null,
    )  # fmt: skip


TABLES = {
    ("QueueEntry", "queue_entry"): {
        "point": _key(Point, OnDelete.restrict, False),
        "local_date": (Date, _params()),
        "number": (Integer, _params(default=0)),
        "topic": _key(Topic, OnDelete.restrict, False),
        "language": (Varchar, _params(length=12, default="")),
        "contact": _key(MigrantContact, OnDelete.set_null, True),
        "status": (Varchar, _params(length=10, default="waiting")),
        "created_at": (Timestamptz, _params()),
        "notified_at": (Timestamptz, _params(null=True)),
        "called_at": (Timestamptz, _params(null=True)),
        "desk": (Varchar, _params(length=40, default="")),
        "appointment": _key(Appointment, OnDelete.set_null, True),
    },
    ("KioskLink", "kiosk_link"): {
        "point": _key(Point, OnDelete.cascade, False),
        "token_hash": (Varchar, _params(length=64, default="", unique=True)),
        "created_at": (Timestamptz, _params()),
        "created_by": (Integer, _params(null=True)),
        "revoked_at": (Timestamptz, _params(null=True)),
    },
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    for (class_name, tablename), columns in TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, (column_class, params) in columns.items():
            manager.add_column(
                table_class_name=class_name,
                tablename=tablename,
                column_name=name,
                db_column_name=name,
                column_class_name=column_class.__name__,
                column_class=column_class,
                params=params,
                schema=None,
            )
    manager.add_column(
        table_class_name="Appointment",
        tablename="appointment",
        column_name="waited_minutes",
        db_column_name="waited_minutes",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(null=True),
        schema=None,
    )
    return manager
