"""Loads the Noord-Brabant demo; running it again adds only what is missing (new bus dates)."""

from __future__ import annotations

import unicodedata
from datetime import date, time, timedelta

from booking.db.tables import (
    Agency,
    AgencyHours,
    AgencyTopic,
    MobileVisit,
    OpeningHours,
    Point,
    Region,
    StaffAccount,
    StaffMember,
    StaffPoint,
    StaffSchedule,
    Topic,
)
from booking.db.transactions import write_transaction
from booking.services import demo_data as data
from booking.services import demo_texts
from booking.services.auth.accounts import create_account

VISIT_WEEKS = 9


def _t(text: str) -> time:
    return time.fromisoformat(text)


async def _ids(table, key) -> dict[str, int]:
    return {r[key._meta.name]: r["id"] for r in await table.select(table.id, key)}


async def load_demo(today: date | None = None) -> str:
    """Creates what the demo lacks, in one transaction; returns a one-line summary."""
    today = today or date.today()
    created: dict[str, int] = {}

    def count(kind: str, n: int = 1) -> None:
        created[kind] = created.get(kind, 0) + n

    async with write_transaction():
        regions = await _ids(Region, Region.code)
        for code, name in data.REGIONS:
            if code not in regions:
                regions[code] = (await Region.insert(Region(code=code, name=name)))[0]["id"]
                count("regions")

        points = await _ids(Point, Point.slug)
        for slug, region, name, kind, address, city, weekly in data.POINTS:
            if slug in points:
                continue
            points[slug] = (
                await Point.insert(
                    Point(
                        slug=slug,
                        region=regions[region],
                        name=name,
                        kind=kind,
                        address=address,
                        city=city,
                        name_i18n=demo_texts.POINT_TEXTS[slug]["name"],
                        description=demo_texts.POINT_TEXTS[slug]["description"],
                        directions=demo_texts.POINT_TEXTS[slug].get("directions", {}),
                    )
                )
            )[0]["id"]
            rows = [
                OpeningHours(point=points[slug], weekday=d, opens=_t(opens), closes=_t(closes))
                for days, opens, closes in weekly
                for d in days
            ]
            if rows:
                await OpeningHours.insert(*rows)
            count("points")

        topics = await _ids(Topic, Topic.slug)
        for position, (slug, minutes) in enumerate(data.TOPICS):
            if slug not in topics:
                texts = demo_texts.TOPIC_TEXTS[slug]
                await Topic.insert(
                    Topic(
                        slug=slug,
                        name=texts["name"],
                        description=texts["description"],
                        bring=texts["bring"],
                        duration_minutes=minutes,
                        position=position,
                    )
                )
                count("topics")

        topics = await _ids(Topic, Topic.slug)
        agencies = await _ids(Agency, Agency.slug)
        for slug, name, kind, email, address, region in data.AGENCIES:
            if slug not in agencies:
                inserted = await Agency.insert(
                    Agency(
                        slug=slug,
                        name=name,
                        kind=kind,
                        email=email,
                        address=address,
                        region=regions[region] if region else None,
                        by_arrangement=slug not in data.AGENCY_HOURS,
                        video_only=slug in data.VIDEO_ONLY,
                    )
                )
                await _add_agency_terms(inserted[0]["id"], slug, topics)
                count("agencies")

        staff = await _ids(StaffMember, StaffMember.name)
        for name, languages, shifts in data.CONSULTANTS:
            if name in staff:
                continue
            served = sorted({s[0] for s in shifts})
            staff_id = await _add_staff(
                name, StaffMember.CONSULTANT, languages, (), regions, points, served
            )
            staff[name] = staff_id
            await StaffSchedule.insert(
                *(
                    StaffSchedule(
                        staff=staff_id, point=points[slug], weekday=d, starts=_t(a), ends=_t(b)
                    )
                    for slug, days, a, b in shifts
                    for d in days
                )
            )
            count("consultants")
        for name, languages, modes, days, a, b in data.INTERPRETERS:
            if name in staff:
                continue
            staff_id = await _add_staff(
                name, StaffMember.INTERPRETER, languages, modes, regions, points, sorted(points)
            )
            await StaffSchedule.insert(
                *(StaffSchedule(staff=staff_id, weekday=d, starts=_t(a), ends=_t(b)) for d in days)
            )
            count("interpreters")

        planned = {
            r["day"]
            for r in await MobileVisit.select(MobileVisit.day).where(
                MobileVisit.point == points["bus"]
            )
        }
        visits = [
            MobileVisit(
                point=points["bus"],
                day=day,
                opens=_t(a),
                closes=_t(b),
                place=place,
                place_i18n=demo_texts.STOP_TEXTS[place]["place"],
                address=address,
                directions=demo_texts.STOP_TEXTS[place]["directions"],
            )
            for offset in range(VISIT_WEEKS * 7)
            if (day := today + timedelta(days=offset)) not in planned
            for weekday, a, b, place, address in data.BUS_VISITS
            if day.weekday() == weekday
        ]
        if visits:
            await MobileVisit.insert(*visits)
            count("bus visits", len(visits))

        known = {r["email"] for r in await StaffAccount.select(StaffAccount.email)}
        for email, name, role, region, consultant in data.ACCOUNTS:
            if email not in known:
                await create_account(
                    email=email,
                    name=name,
                    password=data.DEMO_PASSWORD,
                    role=role,
                    region_id=regions[region] if region else None,
                    staff_id=staff.get(consultant) if consultant else None,
                )
                count("logins")

    if not created:
        return "demo data already complete"
    added = ", ".join(f"{n} {kind}" for kind, n in created.items())
    logins = ", ".join(email for email, *_ in data.ACCOUNTS)
    return f"demo data added: {added}\ndemo logins ({logins}) use the password {data.DEMO_PASSWORD}"


async def _add_agency_terms(agency_id: int, slug: str, topics: dict[str, int]) -> None:
    """The agency's handover hours and the topics it takes."""
    hours = [
        AgencyHours(
            agency=agency_id, weekday=d, opens=_t(opens), closes=_t(closes), capacity=places
        )
        for days, opens, closes, places in data.AGENCY_HOURS.get(slug, ())
        for d in days
    ]
    if hours:
        await AgencyHours.insert(*hours)
    taken = [
        AgencyTopic(agency=agency_id, topic=topics[t]) for t in data.AGENCY_TOPICS.get(slug, ())
    ]
    if taken:
        await AgencyTopic.insert(*taken)


def demo_email(name: str) -> str:
    """ "Paweł Wójcik" -> "pawel.wojcik@staff.loket.example": everyone in the demo gets the
    handover invites (an ASCII address, as e-mail is sent without SMTPUTF8)."""
    plain = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    words = "".join(c for c in plain if c.isascii() and (c.isalnum() or c == " ")).lower()
    return f"{'.'.join(words.split())}@staff.loket.example"


async def _add_staff(
    name: str,
    kind: str,
    languages: tuple[str, ...],
    modes: tuple[str, ...],
    regions: dict[str, int],
    points: dict[str, int],
    served: list[str],
) -> int:
    """A staff member serving ``served``; consultants belong to their first point's region."""
    home = next(p[1] for p in data.POINTS if p[0] == served[0])
    staff_id = (
        await StaffMember.insert(
            StaffMember(
                name=name,
                kind=kind,
                region=regions[home] if kind == StaffMember.CONSULTANT else None,
                languages=list(languages),
                interpreter_modes=list(modes),
                email=demo_email(name),
            )
        )
    )[0]["id"]
    await StaffPoint.insert(*(StaffPoint(staff=staff_id, point=points[slug]) for slug in served))
    return staff_id
