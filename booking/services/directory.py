"""The public list of points: weekly hours in local time and what deviates from them ahead."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time

from booking.db.tables import MobileVisit, OpeningException, OpeningHours, Point, Region
from booking.domain.opening_hours import holidays_between
from booking.i18n import names_in


@dataclass(frozen=True, slots=True)
class DatedHours:
    day: date
    kind: str
    opens: time | None
    closes: time | None
    note: str


@dataclass(frozen=True, slots=True)
class PointListing:
    point: Mapping
    region: Mapping
    weekly: list[Mapping]
    ahead: list[DatedHours]


async def list_points(first: date, last: date, language: str) -> list[PointListing]:
    """Active points with their hours and the exceptions, holidays and visits in [first, last];
    a visit's stop is named in ``language`` (then English, Dutch, the plain name).

    Five queries whatever the number of points.
    """
    points = (
        await Point.select().where(Point.active == True).order_by(Point.name).output(load_json=True)
    )
    regions = {r["id"]: r for r in await Region.select()}
    weekly = await OpeningHours.select().order_by(OpeningHours.weekday, OpeningHours.opens)
    exceptions = await OpeningException.select().where(
        (OpeningException.day >= first) & (OpeningException.day <= last)
    )
    visits = (
        await MobileVisit.select()
        .where((MobileVisit.day >= first) & (MobileVisit.day <= last))
        .output(load_json=True)
    )
    holidays = holidays_between(first, last)
    listings = []
    for p in points:
        ahead = [
            DatedHours(e["day"], e["kind"], e["opens"], e["closes"], e["reason"])
            for e in exceptions
            if e["point"] == p["id"]
        ]
        ahead += [
            DatedHours(
                v["day"],
                "visit",
                v["opens"],
                v["closes"],
                ", ".join(
                    filter(None, (names_in(v["place_i18n"], language, v["place"]), v["address"]))
                ),
            )
            for v in visits
            if v["point"] == p["id"]
        ]
        if p["closed_on_holidays"]:
            ahead += [
                DatedHours(day, "holiday", None, None, name) for day, name in holidays.items()
            ]
        listings.append(
            PointListing(
                point=p,
                region=regions[p["region"]],
                weekly=[w for w in weekly if w["point"] == p["id"]],
                ahead=sorted(ahead, key=lambda d: (d.day, d.opens or time(0))),
            )
        )
    return listings
