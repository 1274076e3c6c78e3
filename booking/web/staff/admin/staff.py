"""Consultants and interpreters serving the region's points: languages, points served,
weekly schedule per point and absences. A coordinator manages the people of their region
and those who serve its points, but touches only that region's points and schedule rows."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Response, Template

from booking.db.tables import StaffAbsence, StaffMember, StaffSchedule
from booking.domain.errors import InvalidInput
from booking.domain.opening_hours import zone
from booking.domain.policy import Policy
from booking.i18n import format_instant, gettext
from booking.services.master_data import affected_appointments, points_of_staff
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.staff.admin.feeds import create_link, feed_section, revoke_link
from booking.web.staff.admin.forms import (
    Form,
    Row,
    Screen,
    Section,
    Values,
    checked_interval,
    choices,
    in_order,
    local_to_utc,
    no_values,
    read,
    screen_page,
    submit,
    weekday_choices,
)
from booking.web.staff.admin.hours import hours_label, season_label
from booking.web.staff.admin.people import (
    STAFF_KINDS,
    Reach,
    RemoteOnly,
    absence_fields,
    reach,
    record_values,
    region_staff,
    save_staff,
    schedule_fields,
    staff_fields,
    staff_row,
)
from booking.web.staff.admin.points import admin_links, region_choices
from booking.web.staff.auth import account
from booking.web.templating import redirect_see_other


async def schedule_section(base: str, person: dict, scope: Reach, values: Values) -> Section:
    """Working hours at the account's points and remote ones; others' are not shown."""
    names = {p["id"]: p["name"] for p in scope.points}
    days = dict(weekday_choices())
    shifts = await (
        StaffSchedule.select()
        .where(StaffSchedule.staff == person["id"])
        .order_by(StaffSchedule.weekday)
        .order_by(StaffSchedule.starts)
    )
    rows = [
        Row(
            [
                names.get(s["point"]) or gettext("Any point (by phone or video)"),
                days[str(s["weekday"])],
                hours_label(s["starts"], s["ends"]),
                season_label(s),
            ],
            action=(f"{base}/schedule/{s['id']}/delete", gettext("Remove")),
        )
        for s in shifts
        if s["point"] is None or s["point"] in names
    ]
    return Section(
        gettext("Weekly schedule"),
        [gettext("Point"), gettext("Day"), gettext("Hours"), gettext("Season")],
        rows,
        gettext("No working hours yet: this person cannot be booked."),
        Form(
            f"{base}/schedule", schedule_fields(scope.served), values, gettext("Add working hours")
        ),
    )


async def absence_section(
    base: str, person: dict, scope: Reach, now: datetime, values: Values
) -> Section:
    tz = zone(scope.timezone)
    absences = await (
        StaffAbsence.select()
        .where((StaffAbsence.staff == person["id"]) & (StaffAbsence.ends_at > now))
        .order_by(StaffAbsence.starts_at)
    )
    rows = [
        Row(
            [format_instant(a["starts_at"], tz), format_instant(a["ends_at"], tz), a["reason"]],
            action=(f"{base}/absences/{a['id']}/delete", gettext("Remove")),
        )
        for a in absences
    ]
    return Section(
        gettext("Absences ahead"),
        [gettext("From"), gettext("Until"), gettext("Reason")],
        rows,
        gettext("No absences ahead."),
        Form(f"{base}/absences", absence_fields(), values, gettext("Add absence")),
    )


class StaffMemberAdmin(Controller):
    path = "/staff"

    @get("/")
    async def people(self, request: Request) -> Template:
        kinds = dict(choices(STAFF_KINDS))
        rows = [
            Row(
                [
                    s["name"],
                    kinds.get(s["kind"], s["kind"]),
                    ", ".join(s["languages"] or ()),
                    gettext("active") if s["active"] else gettext("not active"),
                ],
                link=f"/staff/admin/staff/{s['id']}",
            )
            for s in await region_staff(account(request))
        ]
        columns = [gettext("Name"), gettext("Kind"), gettext("Languages"), gettext("Status")]
        return screen_page(
            request,
            Screen(
                gettext("Staff members"),
                links=[*admin_links(), ("/staff/admin/staff/new", gettext("New staff member"))],
                sections=[Section(gettext("Staff members"), columns, rows, gettext("Nobody yet."))],
            ),
        )

    async def _page(
        self,
        request: Request,
        clock: Clock,
        person: dict | None,
        *,
        record: Values | None = None,
        schedule: Values | None = None,
        absence: Values | None = None,
        secret_link: str = "",
    ) -> Template:
        scope = await reach(request, person)
        fields = staff_fields(scope.me, scope.points, await region_choices(scope.me))
        record = record or record_values(person, scope.served)
        if person is None:
            form = Form("/staff/admin/staff", fields, record, gettext("Save"))
            return screen_page(
                request, Screen(gettext("New staff member"), links=admin_links(), form=form)
            )
        base = f"/staff/admin/staff/{person['id']}"
        now = clock()
        stranded = (await points_of_staff(person["id"], now)) & scope.mine
        sections = [
            await schedule_section(base, person, scope, schedule or no_values()),
            await absence_section(base, person, scope, now, absence or no_values()),
        ]
        if person["kind"] == StaffMember.INTERPRETER:
            sections.append(await feed_section(base, staff_id=person["id"]))
        return screen_page(
            request,
            Screen(
                person["name"],
                links=admin_links(),
                form=Form(base, fields, record, gettext("Save")),
                sections=sections,
                affected=await affected_appointments(stranded, now),
                secret_link=secret_link,
            ),
        )

    @get("/new")
    async def new_person(self, request: Request, clock: NamedDependency[Clock]) -> Template:
        return await self._page(request, clock, None)

    @post("/")
    async def create_person(self, request: Request, clock: NamedDependency[Clock]) -> Response:
        return await self._save(request, clock, None)

    @get("/{staff_id:int}")
    async def person(
        self, request: Request, staff_id: PathId, clock: NamedDependency[Clock]
    ) -> Template:
        return await self._page(request, clock, await staff_row(request, staff_id))

    @post("/{staff_id:int}")
    async def update_person(
        self, request: Request, staff_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        return await self._save(request, clock, await staff_row(request, staff_id))

    async def _save(self, request: Request, clock: Clock, person: dict | None) -> Response:
        scope = await reach(request, person)
        fields = staff_fields(scope.me, scope.points, await region_choices(scope.me))

        async def save(form: Values) -> str:
            got = read(fields, form)
            staff_id = await save_staff(scope.me, person["id"] if person else None, got, scope.mine)
            return f"/staff/admin/staff/{staff_id}"

        async def again(form: Values) -> Template:
            return await self._page(request, clock, person, record=form)

        return await submit(request, save, again)

    @post("/{staff_id:int}/schedule")
    async def add_schedule(
        self, request: Request, staff_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        person = await staff_row(request, staff_id)
        scope = await reach(request, person)

        async def save(form: Values) -> str:
            got = checked_interval(schedule_fields(scope.served), form, "starts", "ends")
            remote = {StaffMember.BY_PHONE, StaffMember.BY_VIDEO} & set(person["interpreter_modes"])
            if got["point"] is None and not (person["kind"] == StaffMember.INTERPRETER and remote):
                raise RemoteOnly("point")
            got.update(
                point=int(got["point"]) if got["point"] else None, weekday=int(got["weekday"])
            )
            await StaffSchedule.insert(StaffSchedule(staff=staff_id, **got))
            return f"/staff/admin/staff/{staff_id}"

        async def again(form: Values) -> Template:
            return await self._page(request, clock, person, schedule=form)

        return await submit(request, save, again)

    @post("/{staff_id:int}/schedule/{row_id:int}/delete")
    async def remove_schedule(self, request: Request, staff_id: PathId, row_id: PathId) -> Response:
        scope = await reach(request, await staff_row(request, staff_id))
        await StaffSchedule.delete().where(
            (StaffSchedule.id == row_id)
            & (StaffSchedule.staff == staff_id)
            & (StaffSchedule.point.is_null() | StaffSchedule.point.is_in(sorted(scope.mine) or [0]))
        )
        return redirect_see_other(f"/staff/admin/staff/{staff_id}?saved=1")

    @post("/{staff_id:int}/absences")
    async def add_absence(
        self, request: Request, staff_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        person = await staff_row(request, staff_id)
        scope = await reach(request, person)

        async def save(form: Values) -> str:
            fields = absence_fields()
            got = read(fields, form)
            starts = local_to_utc(got["starts_at"], scope.timezone)
            ends = local_to_utc(got["ends_at"], scope.timezone)
            in_order(fields[0], starts, fields[1], ends)
            await StaffAbsence.insert(
                StaffAbsence(staff=staff_id, starts_at=starts, ends_at=ends, reason=got["reason"])
            )
            return f"/staff/admin/staff/{staff_id}"

        async def again(form: Values) -> Template:
            return await self._page(request, clock, person, absence=form)

        return await submit(request, save, again)

    @post("/{staff_id:int}/absences/{row_id:int}/delete")
    async def remove_absence(self, request: Request, staff_id: PathId, row_id: PathId) -> Response:
        await staff_row(request, staff_id)
        await StaffAbsence.delete().where(
            (StaffAbsence.id == row_id) & (StaffAbsence.staff == staff_id)
        )
        return redirect_see_other(f"/staff/admin/staff/{staff_id}?saved=1")

    @post("/{staff_id:int}/feeds")
    async def create_feed(
        self,
        request: Request,
        staff_id: PathId,
        policy: NamedDependency[Policy],
        clock: NamedDependency[Clock],
    ) -> Template:
        """Answers with the page itself, not a redirect: the link is shown only this once."""
        person = await staff_row(request, staff_id)
        try:
            link = await create_link(account(request), policy, clock(), staff_id=staff_id)
        except InvalidInput as error:
            shown = await self._page(request, clock, person)
            shown.context["error"] = gettext(error.message, **error.params)
            shown.status_code = 422
            return shown
        return await self._page(request, clock, person, secret_link=link)

    @post("/{staff_id:int}/feeds/{feed_id:int}/revoke")
    async def revoke_feed(
        self, request: Request, staff_id: PathId, feed_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        await staff_row(request, staff_id)
        await revoke_link(account(request), feed_id, clock(), staff_id=staff_id)
        return redirect_see_other(f"/staff/admin/staff/{staff_id}?saved=1")
