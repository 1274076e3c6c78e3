"""The people behind the staff screens: who an account may manage, what they serve, and
how a person and the points they serve are written (one transaction, so nothing half)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request

from booking.db.tables import Point, StaffMember, StaffPoint, StaffSchedule
from booking.db.transactions import write_transaction
from booking.domain.errors import N_, InvalidInput, NotFound
from booking.domain.languages import SERVICE_LANGUAGES
from booking.i18n import gettext, language_name
from booking.services.auth.accounts import Account
from booking.web.staff.admin.forms import (
    CHECKBOX,
    CHOICE,
    DATETIME,
    EMAIL,
    MANY,
    Field,
    Values,
    choices,
    hours_fields,
    season_fields,
    values_of,
    weekday_choices,
)
from booking.web.staff.admin.points import region_points
from booking.web.staff.auth import account

STAFF_KINDS = {StaffMember.CONSULTANT: N_("Consultant"), StaffMember.INTERPRETER: N_("Interpreter")}
MODES = {
    StaffMember.ON_SITE: N_("On site"),
    StaffMember.BY_PHONE: N_("By phone"),
    StaffMember.BY_VIDEO: N_("By video"),
}
DEFAULT_ZONE = "Europe/Amsterdam"


class RemoteOnly(InvalidInput):
    code = "remote_only"
    message = N_("Only an interpreter who works by phone or video can work without a point.")


async def region_staff(me: Account) -> list[dict]:
    """The people of ``me``'s region and those who serve one of its points (all for admins)."""
    query = StaffMember.select().order_by(StaffMember.name)
    if not me.is_admin:
        mine = Point.select(Point.id).where(Point.region == me.region_id)
        query = query.where(
            (StaffMember.region == me.region_id)
            | StaffMember.id.is_in(
                StaffPoint.select(StaffPoint.staff).where(StaffPoint.point.is_in(mine))
            )
        )
    return await query


async def staff_row(request: Request, staff_id: int) -> dict:
    """The staff member if ``request``'s account may manage them; else the 404 of a missing one."""
    row = await StaffMember.select().where(StaffMember.id == staff_id).first()
    if row is None:
        raise NotFound("staff")
    me = account(request)
    if not me.is_admin and row["region"] != me.region_id:
        serves = await StaffPoint.exists().where(
            (StaffPoint.staff == staff_id) & (StaffPoint.point.region == me.region_id)
        )
        if not serves:
            raise NotFound("staff")
    return row


async def served_points(staff_id: int) -> list[dict]:
    return (
        await StaffPoint.select(
            StaffPoint.point.id.as_alias("id"),
            StaffPoint.point.name.as_alias("name"),
            StaffPoint.point.region.as_alias("region"),
            StaffPoint.point.timezone.as_alias("timezone"),
        )
        .where(StaffPoint.staff == staff_id)
        .order_by(StaffPoint.id)
    )


def staff_fields(
    me: Account, points: list[dict], regions: tuple[tuple[str, str], ...]
) -> list[Field]:
    fields = [
        Field("name", gettext("Name"), required=True, max_length=100),
        Field("kind", gettext("Kind"), CHOICE, True, choices=choices(STAFF_KINDS)),
        Field("email", gettext("Email address for handover invitations"), EMAIL, max_length=254),
        Field(
            "languages",
            gettext("Languages"),
            MANY,
            True,
            choices=tuple((c, language_name(c)) for c in SERVICE_LANGUAGES),
        ),
        Field("interpreter_modes", gettext("Interprets"), MANY, choices=choices(MODES)),
        Field(
            "points",
            gettext("Points served"),
            MANY,
            choices=tuple((str(p["id"]), p["name"]) for p in points),
        ),
        Field("active", gettext("Active (can be booked)"), CHECKBOX),
    ]
    if me.is_admin:
        fields.append(Field("region", gettext("Region"), CHOICE, choices=regions))
    return fields


async def save_staff(me: Account, staff_id: int | None, got: dict[str, Any], mine: set[int]) -> int:
    """Writes the person and the points they serve among ``mine`` (the account's points) in
    one transaction; schedule rows at a point no longer served go with it."""
    interpreter = got["kind"] == StaffMember.INTERPRETER
    columns = {
        "name": got["name"],
        "kind": got["kind"],
        "email": got["email"],
        "languages": got["languages"],
        "interpreter_modes": got["interpreter_modes"] if interpreter else [],
        "active": got["active"],
    }
    if me.is_admin:
        columns["region"] = int(got["region"]) if got["region"] else None
    elif staff_id is None:
        columns["region"] = me.region_id
    chosen = {int(p) for p in got["points"]}
    async with write_transaction():
        if staff_id is None:
            staff_id = (await StaffMember.insert(StaffMember(**columns)))[0]["id"]
        else:
            await StaffMember.update(columns).where(StaffMember.id == staff_id)
        current = {p["id"] for p in await served_points(staff_id)}
        dropped = sorted((current & mine) - chosen)
        if dropped:
            for table in (StaffPoint, StaffSchedule):
                await table.delete().where((table.staff == staff_id) & table.point.is_in(dropped))
        if added := sorted(chosen - current):
            await StaffPoint.insert(*(StaffPoint(staff=staff_id, point=p) for p in added))
    return staff_id


def staff_zone(served: list[dict]) -> str:
    """Absences are entered on the wall clock of the points the person serves."""
    return served[0]["timezone"] if served else DEFAULT_ZONE


def schedule_fields(points: list[dict]) -> list[Field]:
    return [
        Field(
            "point",
            gettext("Point (empty: any, by phone or video)"),
            CHOICE,
            choices=tuple((str(p["id"]), p["name"]) for p in points),
        ),
        Field("weekday", gettext("Day of the week"), CHOICE, True, choices=weekday_choices()),
        *hours_fields("starts", "ends"),
        *season_fields(),
    ]


def absence_fields() -> list[Field]:
    return [
        Field("starts_at", gettext("From"), DATETIME, True, example="2026-12-24T09:00"),
        Field("ends_at", gettext("Until"), DATETIME, True, example="2026-12-24T17:00"),
        Field("reason", gettext("Reason"), max_length=100),
    ]


@dataclass(frozen=True, slots=True)
class Reach:
    """What the logged-in account may touch of one person: their own points and which of
    them the person serves; and the zone the person's absences are entered in."""

    me: Account
    points: list[dict]
    served: list[dict]
    timezone: str

    @property
    def mine(self) -> set[int]:
        return {p["id"] for p in self.points}


async def reach(request: Request, person: dict | None) -> Reach:
    me = account(request)
    points = await region_points(me)
    everywhere = await served_points(person["id"]) if person else []
    mine = {p["id"] for p in points}
    return Reach(me, points, [p for p in everywhere if p["id"] in mine], staff_zone(everywhere))


def record_values(person: dict | None, served: list[dict]) -> Values:
    if person is None:
        return values_of([("kind", StaffMember.CONSULTANT), ("active", True)])
    names = ("name", "kind", "email", "languages", "interpreter_modes", "active", "region")
    return values_of([*((n, person[n]) for n in names), ("points", [p["id"] for p in served])])
