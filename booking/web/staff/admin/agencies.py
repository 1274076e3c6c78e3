"""Partner agencies on the coordinators' screens: where invites go, the topics they handle,
their handover hours with how many handovers each slot takes (or "by arrangement"), and
calendar subscription links. A region's coordinators keep its agencies, admins the national
ones too; the handover search reads exactly these rows."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.response import Response, Template

from booking.db.tables import Agency, AgencyHours, AgencyTopic, Topic
from booking.db.transactions import write_transaction
from booking.domain.errors import N_, InvalidInput
from booking.domain.policy import Policy
from booking.i18n import gettext
from booking.services.auth.accounts import Account
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.staff.admin.feeds import create_link, feed_section, revoke_link
from booking.web.staff.admin.forms import (
    CHECKBOX,
    CHOICE,
    EMAIL,
    EMAILS,
    MANY,
    NUMBER,
    SLUG,
    Field,
    Form,
    Row,
    Screen,
    Section,
    Values,
    checked_interval,
    hours_fields,
    no_values,
    screen_page,
    season_fields,
    submit,
    values_of,
    weekday_choices,
)
from booking.web.staff.admin.hours import hours_label, season_label
from booking.web.staff.admin.points import admin_links, region_choices
from booking.web.staff.admin.records import RecordAdmin, Records, record_row, translated
from booking.web.staff.auth import account
from booking.web.templating import redirect_see_other

#: Handovers one slot of an agency's hours takes at once.
MOST_AT_ONCE = 20


def agency_fields(me: Account, regions: tuple[tuple[str, str], ...]) -> list[Field]:
    return [
        Field("slug", gettext("Short name in links"), SLUG, True, 60, example="ind-den-bosch"),
        Field("name", gettext("Name"), required=True, max_length=120),
        Field("kind", gettext("Kind of organisation"), max_length=40),
        Field("email", gettext("Email address for invitations"), EMAIL, max_length=254),
        Field(
            "other_emails",
            gettext("More addresses for invitations"),
            EMAILS,
            max_length=1000,
            example="intake@gemeente.nl, balie@gemeente.nl",
        ),
        Field("address", gettext("Address"), max_length=200),
        # Only an admin keeps national agencies (without a region).
        Field("region", gettext("Region"), CHOICE, not me.is_admin, choices=regions),
        Field(
            "by_arrangement",
            gettext("By arrangement: no handover hours, the time is agreed by phone"),
            CHECKBOX,
        ),
        Field("active", gettext("Active"), CHECKBOX),
    ]


AGENCIES = Records(
    Agency,
    "agencies",
    N_("Agencies"),
    N_("New agency"),
    N_("There are no agencies yet."),
    agency_fields,
    (N_("Name"), N_("Kind of organisation"), N_("Email address"), N_("Status")),
    lambda r: [
        r["name"],
        r["kind"],
        r["email"],
        gettext("active") if r["active"] else gettext("not active"),
    ],
    (("active", True),),
    order="name",
    regional=True,
)


def agency_hours_fields() -> list[Field]:
    return [
        Field("weekday", gettext("Day of the week"), CHOICE, True, choices=weekday_choices()),
        *hours_fields("opens", "closes"),
        Field("capacity", gettext("Handovers at once"), NUMBER, True, low=1, high=MOST_AT_ONCE),
        *season_fields(),
    ]


def agency_hours_row(form: Values) -> dict[str, Any]:
    got = checked_interval(agency_hours_fields(), form, "opens", "closes")
    return {**got, "weekday": int(got["weekday"])}


async def hours_section(base: str, agency_id: int, values: Values) -> Section:
    days = dict(weekday_choices())
    rows = await (
        AgencyHours.select()
        .where(AgencyHours.agency == agency_id)
        .order_by(AgencyHours.weekday)
        .order_by(AgencyHours.opens)
    )
    return Section(
        gettext("Handover hours"),
        [gettext("Day"), gettext("Hours"), gettext("Handovers at once"), gettext("Season")],
        [
            Row(
                [
                    days[str(r["weekday"])],
                    hours_label(r["opens"], r["closes"]),
                    str(r["capacity"]),
                    season_label(r),
                ],
                action=(f"{base}/hours/{r['id']}/delete", gettext("Remove")),
            )
            for r in rows
        ],
        gettext("No handover hours: only an agency by arrangement can then be booked."),
        Form(f"{base}/hours", agency_hours_fields(), values, gettext("Add handover hours")),
    )


class AgencyAdmin(RecordAdmin):
    path = "/agencies"
    kind = AGENCIES

    async def _fields(self, me: Account) -> list[Field]:
        topics = await (
            Topic.select(Topic.id, Topic.name)
            .order_by(Topic.position)
            .order_by(Topic.id)
            .output(load_json=True)
        )
        handled = Field(
            "topics",
            gettext("Topics it handles (none ticked: any topic)"),
            MANY,
            choices=tuple((str(t["id"]), translated(t["name"])) for t in topics),
        )
        return [*agency_fields(me, await region_choices(me)), handled]

    async def _values(self, record: dict, fields: list[Field]) -> Values:
        handled = await AgencyTopic.select(AgencyTopic.topic).where(
            AgencyTopic.agency == record["id"]
        )
        own = [(f.name, record[f.name]) for f in fields if f.name != "topics"]
        return values_of([*own, ("topics", [h["topic"] for h in handled])])

    async def _write(self, record: dict | None, got: dict[str, Any], fields: list[Field]) -> int:
        """The agency and the topics it handles, together or not at all."""
        topics = [int(t) for t in got.pop("topics")]
        async with write_transaction():
            agency_id = await super()._write(record, got, fields)
            await AgencyTopic.delete().where(AgencyTopic.agency == agency_id)
            if topics:
                await AgencyTopic.insert(*(AgencyTopic(agency=agency_id, topic=t) for t in topics))
        return agency_id

    async def _form(
        self,
        request: Request,
        record: dict | None,
        values: Values,
        *,
        hours: Values | None = None,
        secret_link: str = "",
    ) -> Template:
        if record is None:
            return await super()._form(request, record, values)
        base = f"{self._base()}/{record['id']}"
        fields = await self._fields(account(request))
        return screen_page(
            request,
            Screen(
                record["name"],
                links=[*admin_links(), (self._base(), gettext(self.kind.title))],
                form=Form(base, fields, values, gettext("Save")),
                sections=[
                    await hours_section(base, record["id"], hours or no_values()),
                    await feed_section(base, agency_id=record["id"]),
                ],
                secret_link=secret_link,
            ),
        )

    async def _own_page(self, request: Request, record: dict, **extra: Any) -> Template:
        values = await self._values(record, await self._fields(account(request)))
        return await self._form(request, record, values, **extra)

    @post("/{record_id:int}/hours")
    async def add_hours(self, request: Request, record_id: PathId) -> Response:
        record = await record_row(request, self.kind, record_id)

        async def save(form: Values) -> str:
            await AgencyHours.insert(AgencyHours(agency=record_id, **agency_hours_row(form)))
            return f"{self._base()}/{record_id}"

        async def again(form: Values) -> Template:
            return await self._own_page(request, record, hours=form)

        return await submit(request, save, again)

    @post("/{record_id:int}/hours/{row_id:int}/delete")
    async def remove_hours(self, request: Request, record_id: PathId, row_id: PathId) -> Response:
        await record_row(request, self.kind, record_id)
        await AgencyHours.delete().where(
            (AgencyHours.id == row_id) & (AgencyHours.agency == record_id)
        )
        return redirect_see_other(f"{self._base()}/{record_id}?saved=1")

    @post("/{record_id:int}/feeds")
    async def create_feed(
        self,
        request: Request,
        record_id: PathId,
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        """Answers with the page itself, not a redirect: the link is shown only this once."""
        record = await record_row(request, self.kind, record_id)
        try:
            link = await create_link(account(request), policy, clock(), agency_id=record_id)
        except InvalidInput as error:
            shown = await self._own_page(request, record)
            shown.context["error"] = gettext(error.message, **error.params)
            shown.status_code = 422
            return shown
        return await self._own_page(request, record, secret_link=link)

    @post("/{record_id:int}/feeds/{feed_id:int}/revoke")
    async def revoke_feed(
        self, request: Request, record_id: PathId, feed_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        await record_row(request, self.kind, record_id)
        await revoke_link(account(request), feed_id, clock(), agency_id=record_id)
        return redirect_see_other(f"{self._base()}/{record_id}?saved=1")
