"""Points of the coordinator's region: list, create, edit, and the appointments that no
longer fit their hours. Read straight from the database, inactive points included."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Response, Template

from booking.db.tables import Point, Region
from booking.domain.errors import N_, NotFound
from booking.i18n import gettext
from booking.services.auth.accounts import Account
from booking.services.master_data import affected_appointments
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.staff.admin.forms import (
    CHECKBOX,
    CHOICE,
    SLUG,
    TRANSLATED,
    ZONE,
    Field,
    Form,
    Row,
    Screen,
    Section,
    Values,
    choices,
    named,
    read,
    screen_page,
    submit,
    unique,
    values_of,
)
from booking.web.staff.auth import account, require_region

POINT_KINDS = {
    Point.PHYSICAL: N_("Office"),
    Point.MOBILE: N_("Mobile (bus)"),
    Point.PHONE: N_("Telephone hour"),
    Point.VIDEO: N_("Video"),
}


def admin_links() -> list[tuple[str, str]]:
    """The master-data screens, on top of each of them."""
    return [
        ("/staff/admin/", gettext("Points")),
        ("/staff/admin/topics", gettext("Topics")),
        ("/staff/admin/staff", gettext("Staff members")),
        ("/staff/admin/agencies", gettext("Agencies")),
        ("/staff/admin/accounts", gettext("Logins")),
        ("/staff/admin/onboarding/", gettext("Import a region")),
    ]


def point_links(point: dict) -> list[tuple[str, str]]:
    base = f"/staff/admin/points/{point['id']}"
    return [
        ("/staff/admin/", gettext("All points")),
        (base, gettext("Details")),
        (f"{base}/hours", gettext("Weekly hours")),
        (f"{base}/exceptions", gettext("Exceptions")),
        (f"{base}/visits", gettext("Mobile visits")),
        (f"{base}/week", gettext("Week preview")),
        (f"{base}/affected", gettext("Appointments that no longer fit")),
        (f"/staff/points/{point['id']}/agenda", gettext("Agenda")),
    ]


async def region_choices(me: Account) -> tuple[tuple[str, str], ...]:
    """Regions ``me`` may put things in: their own, or any for an admin."""
    query = Region.select(Region.id, Region.name).order_by(Region.name)
    if not me.is_admin:
        query = query.where(Region.id == me.region_id)
    return tuple((str(r["id"]), r["name"]) for r in await query)


async def region_points(me: Account) -> list[dict]:
    """Every point of ``me``'s region (all points for an admin), active or not."""
    query = Point.select().order_by(Point.name).output(load_json=True)
    if not me.is_admin:
        query = query.where(Point.region == me.region_id)
    return await query


async def point_row(request: Request, point_id: int) -> dict:
    """The point, fresh from the database; 404 if there is none or it is in another region."""
    row = await Point.select().where(Point.id == point_id).first().output(load_json=True)
    missing = NotFound("point")
    if row is None:
        raise missing
    require_region(account(request), row["region"], missing)
    return row


def point_fields(regions: tuple[tuple[str, str], ...]) -> list[Field]:
    return [
        Field("name", gettext("Name"), required=True, max_length=120),
        Field("name_i18n", gettext("Name for migrants"), TRANSLATED, max_length=120),
        Field("slug", gettext("Short name in links"), SLUG, True, 60, example="veghel"),
        Field("kind", gettext("Kind"), CHOICE, True, choices=choices(POINT_KINDS)),
        Field("region", gettext("Region"), CHOICE, True, choices=regions),
        Field("address", gettext("Address"), max_length=200),
        Field("city", gettext("City"), max_length=80),
        Field("timezone", gettext("Time zone"), ZONE, True, 64, example="Europe/Amsterdam"),
        Field("description", gettext("Description for migrants"), TRANSLATED, max_length=2000),
        Field("directions", gettext("How to find the door"), TRANSLATED, max_length=500),
        Field("closed_on_holidays", gettext("Closed on public holidays"), CHECKBOX),
        Field("active", gettext("Active (takes appointments)"), CHECKBOX),
    ]


def point_columns(got: dict[str, Any]) -> dict[str, Any]:
    return {**got, "region": int(got["region"])}


class PointAdmin(Controller):
    path = "/"

    @get("/")
    async def points(self, request: Request) -> Template:
        me = account(request)
        regions = dict(await region_choices(me))
        kinds = choices(POINT_KINDS)
        rows = [
            Row(
                [
                    p["name"],
                    dict(kinds).get(p["kind"], p["kind"]),
                    p["city"],
                    regions.get(str(p["region"]), ""),
                    gettext("active") if p["active"] else gettext("not active"),
                ],
                link=f"/staff/admin/points/{p['id']}",
            )
            for p in await region_points(me)
        ]
        return screen_page(
            request,
            Screen(
                gettext("Points, hours and staff"),
                links=[*admin_links(), ("/staff/admin/points/new", gettext("New point"))],
                sections=[
                    Section(
                        gettext("Points"),
                        [
                            gettext("Name"),
                            gettext("Kind"),
                            gettext("City"),
                            gettext("Region"),
                            gettext("Status"),
                        ],
                        rows,
                        gettext("There are no points yet."),
                    )
                ],
            ),
        )

    async def _point_form(
        self, request: Request, point: dict | None, values: Values, clock: Clock
    ) -> Template:
        regions = await region_choices(account(request))
        form = Form(
            f"/staff/admin/points/{point['id']}" if point else "/staff/admin/points",
            point_fields(regions),
            values,
            gettext("Save"),
        )
        if point is None:
            return screen_page(
                request, Screen(gettext("New point"), links=admin_links(), form=form)
            )
        base = f"/staff/admin/points/{point['id']}"
        return screen_page(
            request,
            Screen(
                point["name"],
                links=point_links(point),
                form=form,
                affected_count=len(await affected_appointments([point["id"]], clock())),
                affected_link=f"{base}/affected",
            ),
        )

    @get("/points/new")
    async def new_point(self, request: Request, clock: NamedDependency[Clock]) -> Template:
        me = account(request)
        defaults = values_of(
            [
                ("timezone", "Europe/Amsterdam"),
                ("kind", Point.PHYSICAL),
                ("region", me.region_id),
                ("closed_on_holidays", True),
                ("active", True),
            ]
        )
        return await self._point_form(request, None, defaults, clock)

    @post("/points")
    async def create_point(self, request: Request, clock: NamedDependency[Clock]) -> Response:
        fields = point_fields(await region_choices(account(request)))

        async def save(form: Values) -> str:
            row = Point(**point_columns(read(fields, form)))
            created = await unique(Point.insert(row), named(fields, "slug"))
            return f"/staff/admin/points/{created[0]['id']}/hours"

        async def again(form: Values) -> Template:
            return await self._point_form(request, None, form, clock)

        return await submit(request, save, again)

    @get("/points/{point_id:int}")
    async def point(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Template:
        point = await point_row(request, point_id)
        values = values_of((f.name, point[f.name]) for f in point_fields(()))
        return await self._point_form(request, point, values, clock)

    @post("/points/{point_id:int}")
    async def update_point(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        point = await point_row(request, point_id)
        fields = point_fields(await region_choices(account(request)))

        async def save(form: Values) -> str:
            columns = point_columns(read(fields, form))
            await unique(Point.update(columns).where(Point.id == point_id), named(fields, "slug"))
            return f"/staff/admin/points/{point_id}"

        async def again(form: Values) -> Template:
            return await self._point_form(request, point, form, clock)

        return await submit(request, save, again)

    @get("/points/{point_id:int}/affected")
    async def affected(
        self, request: Request, point_id: PathId, clock: NamedDependency[Clock]
    ) -> Template:
        point = await point_row(request, point_id)
        return screen_page(
            request,
            Screen(
                gettext("%(point)s: appointments that no longer fit", point=point["name"]),
                links=point_links(point),
                affected=await affected_appointments([point_id], clock()),
            ),
        )
