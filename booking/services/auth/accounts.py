"""Staff accounts: who they are, their role and region, and how one is created."""

from __future__ import annotations

from dataclasses import dataclass

from booking.db.tables import StaffAccount
from booking.domain.errors import InvalidInput
from booking.i18n import STAFF_LANGUAGES
from booking.services.auth.passwords import hash_password


@dataclass(frozen=True, slots=True)
class Account:
    """The logged-in staff member, as every staff request sees them."""

    id: int
    email: str
    name: str
    role: str
    region_id: int | None
    staff_id: int | None
    language: str

    @property
    def is_admin(self) -> bool:
        return self.role == StaffAccount.ADMIN

    @property
    def is_coordinator(self) -> bool:
        return self.role in (StaffAccount.COORDINATOR, StaffAccount.ADMIN)

    def may_see_region(self, region_id: int | None) -> bool:
        return self.is_admin or (region_id is not None and region_id == self.region_id)


def account_from_row(row: dict) -> Account:
    return Account(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        region_id=row["region"],
        staff_id=row["staff"],
        language=row["language"],
    )


async def create_account(
    *,
    email: str,
    name: str,
    password: str,
    role: str,
    region_id: int | None = None,
    staff_id: int | None = None,
    language: str = "nl",
) -> int:
    if role not in StaffAccount.ROLES:
        raise InvalidInput("role")
    if role != StaffAccount.ADMIN and region_id is None:
        raise InvalidInput("region")
    row = StaffAccount(
        email=email.strip().lower(),
        name=name.strip(),
        password_hash=await hash_password(password),
        role=role,
        region=region_id,
        staff=staff_id,
        language=language,
    )
    return (await StaffAccount.insert(row))[0]["id"]


async def set_language(account_id: int, language: str) -> None:
    """The back office's language for this person, one of the staff languages."""
    if language not in STAFF_LANGUAGES:
        raise InvalidInput("language")
    await StaffAccount.update({StaffAccount.language: language}).where(
        StaffAccount.id == account_id
    )
