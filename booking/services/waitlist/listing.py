"""What staff see of the waiting list: who waits per point and topic, and the counts the
reports show (waiting, offered, booked, expired)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from booking.db.tables import WaitingEntry, WaitlistOffer
from booking.domain.phone import masked


@dataclass(frozen=True, slots=True)
class Waiting:
    """One person in the line, as staff see them: the number masked, no name."""

    point_id: int | None
    #: The region's name when the person waits at any of its points.
    region: str | None
    topic_id: int
    language: str
    windows: str
    joined_at: datetime
    expires_at: datetime
    offered: bool
    phone: str


async def line(point_ids: Iterable[int], region_ids: Iterable[int], now: datetime) -> list[Waiting]:
    """People waiting at these points (or anywhere in these regions), longest first."""
    points, regions = list(point_ids), list(region_ids)
    if not points and not regions:
        return []
    place = WaitingEntry.point.is_in(points or [0]) | WaitingEntry.region.is_in(regions or [0])
    rows = (
        await WaitingEntry.select(
            WaitingEntry.id,
            WaitingEntry.point,
            WaitingEntry.region.name.as_alias("region_name"),
            WaitingEntry.topic,
            WaitingEntry.language,
            WaitingEntry.windows,
            WaitingEntry.joined_at,
            WaitingEntry.expires_at,
            WaitingEntry.contact.phone.as_alias("phone"),
        )
        .where(
            (WaitingEntry.status == WaitingEntry.WAITING) & (WaitingEntry.expires_at > now) & place
        )
        .order_by(WaitingEntry.joined_at)
    )
    live = {
        o["entry"]
        for o in await WaitlistOffer.select(WaitlistOffer.entry).where(
            (WaitlistOffer.status == WaitlistOffer.LIVE)
            & WaitlistOffer.entry.is_in([r["id"] for r in rows] or [0])
        )
    }
    return [
        Waiting(
            r["point"],
            r["region_name"],
            r["topic"],
            r["language"],
            r["windows"],
            r["joined_at"],
            r["expires_at"],
            r["id"] in live,
            masked(r["phone"]) if r["phone"] else "",
        )
        for r in rows
    ]


#: The report's figures, in the order it shows them.
FIGURES = ("waiting", "offered", "booked", "expired")


async def counts(region_id: int | None, first: datetime, last: datetime) -> dict[str, int]:
    """Entries now waiting, and for those who joined in [first, last): how many were offered
    a time, booked one from an offer, or expired without one; a region's points only when
    ``region_id`` is given. Small counts are suppressed by the report, like every figure."""
    query = WaitingEntry.select(
        WaitingEntry.id,
        WaitingEntry.status,
        WaitingEntry.point.region.as_alias("pr"),
        WaitingEntry.region,
    ).where((WaitingEntry.joined_at >= first) & (WaitingEntry.joined_at < last))
    rows = [r for r in await query if region_id is None or region_id in (r["pr"], r["region"])]
    offered = {
        o["entry"]
        for o in await WaitlistOffer.select(WaitlistOffer.entry).where(
            WaitlistOffer.entry.is_in([r["id"] for r in rows] or [0])
        )
    }
    status = Counter(r["status"] for r in rows)
    return {
        "waiting": status[WaitingEntry.WAITING],
        "offered": len(offered),
        "booked": status[WaitingEntry.BOOKED],
        "expired": status[WaitingEntry.EXPIRED],
    }
