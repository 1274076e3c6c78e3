"""Which staff login a verified single sign-on identity is, and with which role and region.

The provider is the source of truth for access: the role map turns the person's groups into
a role and region at every sign-in, so a group removed there takes the access away here at
the next sign-in. A login is found by (issuer, subject); at a first sign-in, by the
provider's verified e-mail address (linking an existing password account), or else created
without a usable password.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime

from booking.db.tables import Region, StaffAccount, StaffIdentity
from booking.db.transactions import is_unique_violation, write_transaction
from booking.services.auth.oidc.errors import (
    ConflictingRegions,
    EmailNotVerified,
    SsoRefused,
    UnknownRegion,
)
from booking.services.auth.oidc.flow import Identity
from booking.services.auth.passwords import hash_password

#: Weakest first: the strongest role any of a person's groups maps to wins.
STRENGTH = (StaffAccount.CONSULTANT, StaffAccount.COORDINATOR, StaffAccount.ADMIN)
RoleMap = Mapping[str, tuple[str, str | None]]


def mapped_role(groups: Iterable[str], role_map: RoleMap) -> tuple[str, str | None]:
    """The role and region code the groups give; admins have no region.

    Raises:
        SsoRefused: no group is in the role map.
        ConflictingRegions: the groups name two regions (which one is meant is a question for
            the provider's administrators, not a guess for Loket).
    """
    mapped = [role_map[g] for g in groups if g in role_map]
    if not mapped:
        raise SsoRefused("groups")
    regions = {region for _, region in mapped if region}
    if len(regions) > 1:
        raise ConflictingRegions("groups")
    role = max((role for role, _ in mapped), key=STRENGTH.index)
    return role, None if role == StaffAccount.ADMIN else regions.pop()


async def _unusable_password() -> str:
    """The argon2 hash of a secret nobody keeps: no password logs in, and a password try
    costs what it costs for every other account, so timing shows no SSO-only login."""
    return await hash_password(secrets.token_urlsafe(32))


async def _account_for(identity: Identity, now: datetime) -> int:
    """Inside the transaction: the linked login, or one linked now."""
    link = (StaffIdentity.issuer == identity.issuer) & (StaffIdentity.subject == identity.subject)
    linked = await StaffIdentity.select(StaffIdentity.account).where(link).first()
    if linked is not None:
        await StaffIdentity.update({StaffIdentity.last_sign_in_at: now}).where(link)
        return linked["account"]
    if not (identity.email and identity.email_verified):
        raise EmailNotVerified("email")
    found = (
        await StaffAccount.select(StaffAccount.id)
        .where(StaffAccount.email == identity.email)
        .first()
    )
    if found is not None:
        account_id = found["id"]
    else:
        password_hash = await _unusable_password()
        account_id = (
            await StaffAccount.insert(
                StaffAccount(
                    email=identity.email,
                    name=identity.name or identity.email,
                    password_hash=password_hash,
                    role=StaffAccount.CONSULTANT,
                    created_at=now,
                )
            )
        )[0]["id"]
    await StaffIdentity.insert(
        StaffIdentity(
            issuer=identity.issuer,
            subject=identity.subject,
            account=account_id,
            created_at=now,
            last_sign_in_at=now,
        )
    )
    return account_id


async def sign_in(identity: Identity, role_map: RoleMap, now: datetime) -> int:
    """The id of the staff login for ``identity``, its role and region set from the groups.

    Raises:
        SsoRefused (or a subclass): the groups give no access, two regions, a region Loket
            does not know, a deactivated login, or a first sign-in without a verified e-mail.
    """
    role, code = mapped_role(identity.groups, role_map)
    region_id = None
    if code is not None:
        region = await Region.select(Region.id).where(Region.code == code).first()
        if region is None:
            raise UnknownRegion("groups")
        region_id = region["id"]
    # Two first sign-ins of one person at once: the loser's insert meets the winner's row,
    # and its second try finds the link.
    for last_try in (False, True):
        try:
            async with write_transaction():
                account_id = await _account_for(identity, now)
                account = StaffAccount.id == account_id
                active = await StaffAccount.select(StaffAccount.active).where(account).first()
                if not active["active"]:
                    raise SsoRefused("account")
                await StaffAccount.update(
                    {StaffAccount.role: role, StaffAccount.region: region_id}
                ).where(account)
            return account_id
        except Exception as error:
            if last_try or not is_unique_violation(error):
                raise
    raise AssertionError("unreachable")
