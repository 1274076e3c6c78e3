"""Kiosk links: a tablet at the door adds walk-ins without a login.

The link carries a long random token; only its SHA-256 is stored, so a copy of the database
opens no kiosk. A coordinator creates and revokes links per point.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from booking.db.tables import KioskLink
from booking.domain.errors import KioskLinkInvalid
from booking.services.views import token_hash


@dataclass(frozen=True, slots=True)
class Kiosk:
    id: int
    point_id: int
    created_at: datetime


async def create(point_id: int, account_id: int | None, now: datetime) -> str:
    """A new link's token, shown once to the coordinator."""
    token = secrets.token_urlsafe(32)
    await KioskLink.insert(
        KioskLink(
            point=point_id, token_hash=token_hash(token), created_at=now, created_by=account_id
        )
    )
    return token


async def revoke(link_id: int, point_id: int, now: datetime) -> bool:
    done = (
        await KioskLink.update({KioskLink.revoked_at: now})
        .where(
            (KioskLink.id == link_id)
            & (KioskLink.point == point_id)
            & KioskLink.revoked_at.is_null()
        )
        .returning(KioskLink.id)
    )
    return bool(done)


async def live(point_id: int) -> list[Kiosk]:
    rows = await (
        KioskLink.select(KioskLink.id, KioskLink.point, KioskLink.created_at)
        .where((KioskLink.point == point_id) & KioskLink.revoked_at.is_null())
        .order_by(KioskLink.created_at)
    )
    return [Kiosk(r["id"], r["point"], r["created_at"]) for r in rows]


async def point_of(token: str) -> int:
    """The point a live link opens; KioskLinkInvalid for an unknown or revoked one."""
    if not token or len(token) > 100:
        raise KioskLinkInvalid("token")
    rows = await KioskLink.select(KioskLink.point).where(
        (KioskLink.token_hash == token_hash(token)) & KioskLink.revoked_at.is_null()
    )
    if not rows:
        raise KioskLinkInvalid("token")
    return rows[0]["point"]
