"""Place data in every language (issue 14 item 2): a point's name and a bus stop keep
their plain column (the name staff and agencies know) beside a translated one, and points,
bus stops and topics gain translated directions and "what to bring". Every new column is
a JSON dict of language code to text, empty for existing rows: the plain name stays the
last fallback, so nothing shown changes until a coordinator adds translations."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2027-01-05T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Translated point names, stops, directions and what to bring"

#: (table class, table, column)
COLUMNS = (
    ("Point", "point", "name_i18n"),
    ("Point", "point", "directions"),
    ("MobileVisit", "mobile_visit", "place_i18n"),
    ("MobileVisit", "mobile_visit", "directions"),
    ("Topic", "topic", "bring"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    for class_name, table, name in COLUMNS:
        manager.add_column(
            table_class_name=class_name,
            tablename=table,
            column_name=name,
            db_column_name=name,
            column_class_name="JSON",
            column_class=JSON,
            params={
                "default": "{}",
                "null": False,
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
