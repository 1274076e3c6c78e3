"""WhatsApp beside SMS (issue 14): the contact's chosen channel and when the number last
wrote to us on WhatsApp (the 24-hour window for free-form messages); a text's approved
template and its variables, with placeholders like its body."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2027-01-04T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "MigrantContact: text channel, WhatsApp window; Message: template, variables"

#: Table class, table, column, column class, default, null, extra params.
COLUMNS = (
    ("MigrantContact", "migrant_contact", "text_channel", Varchar, "sms", False, {"length": 8}),
    ("MigrantContact", "migrant_contact", "whatsapp_seen_at", Timestamptz, None, True, {}),
    ("Message", "message", "template", Varchar, None, True, {"length": 24}),
    ("Message", "message", "variables", Text, None, True, {}),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    for class_name, table, name, column_class, default, null, extra in COLUMNS:
        manager.add_column(
            table_class_name=class_name,
            tablename=table,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={
                "default": default,
                "null": null,
                "primary_key": False,
                "unique": False,
                "index": False,
                "index_method": IndexMethod.btree,
                "choices": None,
                "db_column_name": None,
                "secret": False,
                **extra,
            },
            schema=None,
        )
    return manager
