"""No live secrets at rest (issue 10): a code message keeps its code sealed in ``seed``
until it is sent; the body holds placeholders where the link and the code go."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-31T04:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "message.seed: the sealed code of a code message until it is sent"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Message",
        tablename="message",
        column_name="seed",
        db_column_name="seed",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 120,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
