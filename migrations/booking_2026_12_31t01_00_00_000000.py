"""Logins that hold and a second factor (issue 10, items 1 and 2): the sealed TOTP secret
and its last step on staff_account, a session's login stage and wrong codes, and one-time
recovery codes (hashed)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Timestamptz,
    Varchar,
)
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-31T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Second factor, login stages and recovery codes (issue 10)"


class StaffAccount(Table, tablename="staff_account", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


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

    column("StaffAccount", "staff_account", "factor_secret", Varchar, length=255, default="")
    column(
        "StaffAccount", "staff_account", "factor_enrolled_at", Timestamptz, default=None, null=True
    )
    column("StaffAccount", "staff_account", "factor_step", Integer, default=0)
    column("StaffSession", "staff_session", "stage", Varchar, length=8, default="full")
    column("StaffSession", "staff_session", "code_failures", SmallInt, default=0)

    manager.add_table(
        class_name="RecoveryCode", tablename="recovery_code", schema=None, columns=None
    )
    column(
        "RecoveryCode",
        "recovery_code",
        "account",
        ForeignKey,
        references=StaffAccount,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.cascade,
        target_column=None,
    )
    column("RecoveryCode", "recovery_code", "code_hash", Varchar, length=64, default="")
    column("RecoveryCode", "recovery_code", "used_at", Timestamptz, default=None, null=True)

    return manager
