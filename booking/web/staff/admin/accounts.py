"""Logins of the region: coordinators create consultant and coordinator logins for their own
region, only admins create admins; a login that should no longer work is deactivated, which
also ends its sessions. Accounts are never deleted: the audit log refers to them."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.response import Response, Template

from booking.db.tables import StaffAccount, StaffSession
from booking.db.transactions import write_transaction
from booking.domain.errors import N_, InvalidInput, NotFound
from booking.i18n import STAFF_LANGUAGES, gettext, language_name
from booking.services.audit import trail
from booking.services.auth import accounts, factors, lockout, passwords, sessions
from booking.services.auth.accounts import Account
from booking.web.bounds import PathId
from booking.web.context import Clock
from booking.web.staff.admin.forms import (
    CHOICE,
    EMAIL,
    PASSWORD,
    Field,
    Form,
    Missing,
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
from booking.web.staff.admin.people import region_staff
from booking.web.staff.admin.points import admin_links, region_choices
from booking.web.staff.auth import account, require_region
from booking.web.templating import redirect_see_other

ROLES = {
    StaffAccount.CONSULTANT: N_("Consultant"),
    StaffAccount.COORDINATOR: N_("Coordinator"),
    StaffAccount.ADMIN: N_("Administrator (all regions)"),
}


class OwnLogin(InvalidInput):
    code = "own_login"
    message = N_("You cannot deactivate your own login.")


async def account_fields(me: Account) -> list[Field]:
    roles = {r: label for r, label in ROLES.items() if me.is_admin or r != StaffAccount.ADMIN}
    people = tuple((str(s["id"]), s["name"]) for s in await region_staff(me))
    return [
        Field("email", gettext("Email address"), EMAIL, True, 254, example="naam@example.nl"),
        Field("name", gettext("Name"), required=True, max_length=100),
        Field(
            "password",
            gettext("Password (at least %(length)s characters)", length=passwords.MIN_PASSWORD),
            PASSWORD,
            True,
            200,
        ),
        Field("role", gettext("Role"), CHOICE, True, choices=choices(roles)),
        # Admins work everywhere and have no region; everyone else needs one.
        Field("region", gettext("Region"), CHOICE, choices=await region_choices(me)),
        Field("staff", gettext("Linked staff member"), CHOICE, choices=people),
        Field(
            "language",
            gettext("Language of the back office"),
            CHOICE,
            True,
            choices=tuple((c, language_name(c)) for c in STAFF_LANGUAGES),
        ),
    ]


async def create(me: Account, fields: list[Field], form: Values) -> None:
    got = read(fields, form)
    admin = got["role"] == StaffAccount.ADMIN
    if not admin and got["region"] is None:
        raise Missing("region", label=named(fields, "region").label)
    await unique(
        accounts.create_account(
            email=got["email"],
            name=got["name"],
            password=got["password"],
            role=got["role"],
            region_id=None if admin else int(got["region"]),
            staff_id=int(got["staff"]) if got["staff"] else None,
            language=got["language"],
        ),
        named(fields, "email"),
    )


def may_reset_factor(me: Account, role: str) -> bool:
    """Coordinators reset consultants' factors; an admin anyone's."""
    return me.is_admin or role == StaffAccount.CONSULTANT


def _login_actions(me: Account, row: dict, now: datetime) -> list[tuple[str, str]]:
    if row["id"] == me.id or not row["active"]:
        return []
    url = f"/staff/admin/accounts/{row['id']}"
    actions = []
    if row["locked_until"] is not None and row["locked_until"] > now:
        actions.append((f"{url}/unlock", gettext("Unlock")))
    if row["factor_secret"] and may_reset_factor(me, row["role"]):
        actions.append((f"{url}/reset-factor", gettext("Reset second factor")))
    return actions


class AccountAdmin(Controller):
    path = "/accounts"

    async def _page(self, request: Request, values: Values | None = None) -> Template:
        me = account(request)
        now = request.app.state.clock()
        regions = dict(await region_choices(me))
        roles = dict(choices(ROLES))
        query = StaffAccount.select().order_by(StaffAccount.name)
        if not me.is_admin:
            query = query.where(StaffAccount.region == me.region_id)
        rows = [
            Row(
                [
                    a["name"],
                    a["email"],
                    roles.get(a["role"], a["role"]),
                    regions.get(str(a["region"]), ""),
                    gettext("active") if a["active"] else gettext("deactivated"),
                ],
                action=(
                    (f"/staff/admin/accounts/{a['id']}/deactivate", gettext("Deactivate"))
                    if a["active"] and a["id"] != me.id
                    else None
                ),
                more=_login_actions(me, a, now),
            )
            for a in await query
        ]
        defaults = [("role", StaffAccount.CONSULTANT), ("region", me.region_id), ("language", "nl")]
        form = Form(
            "/staff/admin/accounts",
            await account_fields(me),
            values or values_of(defaults),
            gettext("Create login"),
        )
        columns = [
            gettext("Name"),
            gettext("Email address"),
            gettext("Role"),
            gettext("Region"),
            gettext("Status"),
        ]
        return screen_page(
            request,
            Screen(
                gettext("Logins"),
                links=admin_links(),
                sections=[
                    Section(gettext("Logins"), columns, rows, gettext("No logins yet."), form)
                ],
            ),
        )

    @get("/")
    async def accounts(self, request: Request) -> Template:
        return await self._page(request)

    @post("/")
    async def create_account(self, request: Request) -> Response:
        me = account(request)
        fields = await account_fields(me)

        async def save(form: Values) -> str:
            await create(me, fields, form)
            return "/staff/admin/accounts"

        async def again(form: Values) -> Template:
            return await self._page(request, form)

        return await submit(request, save, again)

    @post("/{account_id:int}/deactivate")
    async def deactivate(self, request: Request, account_id: PathId) -> Response:
        me = account(request)
        await self._target(request, account_id)

        async def save(_: Values) -> str:
            if account_id == me.id:
                raise OwnLogin("account")
            async with write_transaction():
                await StaffAccount.update({StaffAccount.active: False}).where(
                    StaffAccount.id == account_id
                )
                await StaffSession.delete().where(StaffSession.account == account_id)
            return "/staff/admin/accounts"

        async def again(_: Values) -> Template:
            return await self._page(request)

        return await submit(request, save, again)

    async def _target(self, request: Request, account_id: int) -> dict:
        """The login asked for; another region's is answered as a missing one."""
        target = await StaffAccount.select().where(StaffAccount.id == account_id).first()
        missing = NotFound("account")
        if target is None:
            raise missing
        require_region(account(request), target["region"], missing)
        return target

    @post("/{account_id:int}/unlock")
    async def unlock(
        self, request: Request, account_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        """Ends a lock-out at once; written to the audit log."""
        await self._target(request, account_id)
        await lockout.lift(account_id)
        await trail.record(
            account(request).id, trail.UNLOCKED_LOGIN, f"account:{account_id}", clock()
        )
        return redirect_see_other("/staff/admin/accounts")

    @post("/{account_id:int}/reset-factor")
    async def reset_factor(
        self, request: Request, account_id: PathId, clock: NamedDependency[Clock]
    ) -> Response:
        """The person enrols a new factor at the next login; written to the audit log."""
        target = await self._target(request, account_id)
        if not may_reset_factor(account(request), target["role"]):
            raise PermissionDeniedException("admins only")
        await factors.reset(account_id)
        await sessions.end_all(account_id)
        await trail.record(
            account(request).id, trail.RESET_FACTOR, f"account:{account_id}", clock()
        )
        return redirect_see_other("/staff/admin/accounts")
