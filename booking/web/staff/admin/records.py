"""Plain records with a list, a form to add one and a form to change one: topics (shared by
all regions) here, partner agencies (admin_agencies.py) on the same machinery."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from litestar import Controller, Request, get, post
from litestar.response import Response, Template
from piccolo.table import Table

from booking.db.tables import Topic
from booking.domain.errors import N_, NotFound
from booking.i18n import current_language, gettext, names_in
from booking.services.auth.accounts import Account
from booking.web.bounds import PathId
from booking.web.staff.admin.forms import (
    CHECKBOX,
    NUMBER,
    SLUG,
    TRANSLATED,
    Field,
    Form,
    Row,
    Screen,
    Section,
    Values,
    named,
    read,
    screen_page,
    submit,
    unique,
    values_of,
)
from booking.web.staff.admin.points import admin_links, region_choices
from booking.web.staff.auth import account, require_region


def translated(texts: dict[str, str]) -> str:
    return names_in(texts, current_language.get())


def topic_fields(_: Account, __: tuple[tuple[str, str], ...]) -> list[Field]:
    return [
        Field("slug", gettext("Short name in links"), SLUG, True, 40, example="housing"),
        Field("name", gettext("Name"), TRANSLATED, True, 120),
        Field("description", gettext("Explanation for migrants"), TRANSLATED, max_length=2000),
        Field("bring", gettext("What to bring"), TRANSLATED, max_length=500),
        Field("duration_minutes", gettext("Duration in minutes"), NUMBER, True, low=5, high=480),
        Field("position", gettext("Position in the list"), NUMBER, True, low=0, high=10_000),
        Field("active", gettext("Active (can be booked)"), CHECKBOX),
    ]


@dataclass(frozen=True, slots=True)
class Records:
    """One kind of plain record: its table, its screens' texts and its form."""

    table: type[Table]
    path: str
    title: str
    new: str
    empty: str
    fields: Callable[[Account, tuple[tuple[str, str], ...]], list[Field]]
    columns: tuple[str, ...]
    cells: Callable[[dict], list[str]]
    defaults: tuple[tuple[str, Any], ...]
    #: The column the list is sorted by.
    order: str
    #: Records with a region are kept by that region's coordinators (and admins).
    regional: bool

    def columns_of(self, got: dict[str, Any]) -> dict[str, Any]:
        if self.regional:
            return {**got, "region": int(got["region"]) if got["region"] else None}
        return got


TOPICS = Records(
    Topic,
    "topics",
    N_("Topics"),
    N_("New topic"),
    N_("There are no topics yet."),
    topic_fields,
    (N_("Name"), N_("Duration in minutes"), N_("Position in the list"), N_("Status")),
    lambda r: [
        translated(r["name"]),
        str(r["duration_minutes"]),
        str(r["position"]),
        gettext("active") if r["active"] else gettext("not active"),
    ],
    (("duration_minutes", 30), ("position", 0), ("active", True)),
    order="position",
    regional=False,
)


async def record_row(request: Request, kind: Records, record_id: int) -> dict:
    """The record, fresh; 404 if there is none or it belongs to another region."""
    table = kind.table
    query = table.select().where(table._meta.primary_key == record_id).first()
    row = await query.output(load_json=True)
    missing = NotFound(kind.path)
    if row is None:
        raise missing
    if kind.regional:
        require_region(account(request), row["region"], missing)
    return row


class RecordAdmin(Controller):
    """The screens of one kind of record; subclasses say which."""

    kind: ClassVar[Records]

    def _base(self) -> str:
        return f"/staff/admin/{self.kind.path}"

    @get("/")
    async def records(self, request: Request) -> Template:
        me, table = account(request), self.kind.table
        order = table._meta.get_column_by_name(self.kind.order)
        query = table.select().order_by(order).output(load_json=True)
        if self.kind.regional and not me.is_admin:
            query = query.where(table._meta.get_column_by_name("region") == me.region_id)
        rows = [Row(self.kind.cells(r), link=f"{self._base()}/{r['id']}") for r in await query]
        return screen_page(
            request,
            Screen(
                gettext(self.kind.title),
                links=[*admin_links(), (f"{self._base()}/new", gettext(self.kind.new))],
                sections=[
                    Section(
                        gettext(self.kind.title),
                        [gettext(c) for c in self.kind.columns],
                        rows,
                        gettext(self.kind.empty),
                    )
                ],
            ),
        )

    async def _fields(self, me: Account) -> list[Field]:
        return self.kind.fields(me, await region_choices(me))

    async def _values(self, record: dict, fields: list[Field]) -> Values:
        """The record as form values."""
        return values_of((f.name, record[f.name]) for f in fields)

    async def _write(self, record: dict | None, got: dict[str, Any], fields: list[Field]) -> int:
        """Inserts or updates the record; a taken slug is a message, not a 500."""
        table = self.kind.table
        columns = self.kind.columns_of(got)
        if record is None:
            created = await unique(table.insert(table(**columns)), named(fields, "slug"))
            return created[0]["id"]
        await unique(
            table.update(columns).where(table._meta.primary_key == record["id"]),
            named(fields, "slug"),
        )
        return record["id"]

    async def _form(self, request: Request, record: dict | None, values: Values) -> Template:
        action = f"{self._base()}/{record['id']}" if record else self._base()
        fields = await self._fields(account(request))
        return screen_page(
            request,
            Screen(
                self.kind.cells(record)[0] if record else gettext(self.kind.new),
                links=[*admin_links(), (self._base(), gettext(self.kind.title))],
                form=Form(action, fields, values, gettext("Save")),
            ),
        )

    @get("/new")
    async def new_record(self, request: Request) -> Template:
        defaults = [*self.kind.defaults, ("region", account(request).region_id)]
        return await self._form(request, None, values_of(defaults))

    @post("/")
    async def create_record(self, request: Request) -> Response:
        return await self._save(request, None)

    @get("/{record_id:int}")
    async def record(self, request: Request, record_id: PathId) -> Template:
        found = await record_row(request, self.kind, record_id)
        values = await self._values(found, await self._fields(account(request)))
        return await self._form(request, found, values)

    @post("/{record_id:int}")
    async def update_record(self, request: Request, record_id: PathId) -> Response:
        return await self._save(request, await record_row(request, self.kind, record_id))

    async def _save(self, request: Request, record: dict | None) -> Response:
        fields = await self._fields(account(request))

        async def save(form: Values) -> str:
            return f"{self._base()}/{await self._write(record, read(fields, form), fields)}"

        async def again(form: Values) -> Template:
            return await self._form(request, record, form)

        return await submit(request, save, again)


class TopicAdmin(RecordAdmin):
    path = "/topics"
    kind = TOPICS
