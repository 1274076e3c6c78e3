"""The report against figures counted by hand on a fixed data set (issue 7).

October and November 2026 at Veghel (Noordoost-Brabant), local time Europe/Amsterdam; the
clocks go back on Sunday 25 October. Every figure below is worked out in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from booking.db.tables import Allocation, Appointment, Handover, MigrantContact, Topic
from booking.domain.opening_hours import zone
from booking.reports.figures import Cell, Rate
from booking.reports.stamps import stamp
from booking.services import reports
from booking.services.point_setup import Catalog
from booking.services.reports import LongPeriod, Period, ReversedPeriod
from tests import factories

AMS = zone("Europe/Amsterdam")
PERIOD = Period(date(2026, 10, 1), date(2026, 11, 30))
#: Personal data the report must never show (tests/web/test_reports.py looks for them).
PHONE, FIRST_NAME = "+48601234567", "Zofia"


def at(text: str) -> datetime:
    """A local wall-clock time at the points, as the UTC instant stored."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS).astimezone(UTC)


class Builder:
    def __init__(self, contact: int) -> None:
        self.contact, self.interpreters = contact, 0

    async def appointment(
        self,
        point: int,
        topic: int,
        language: str,
        channel: str,
        status: str,
        start: str,
        booked: str,
        minutes: int = 30,
        held_until: datetime | None = None,
        interpreter: bool = False,
        live: bool = True,
    ) -> int:
        starts = at(start)
        [row] = await Appointment.insert(
            Appointment(
                point=point,
                topic=topic,
                contact=self.contact,
                language=language,
                channel=channel,
                status=status,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=minutes),
                held_until=held_until,
                created_at=at(booked),
                updated_at=at(booked),
                **stamp(starts, at(booked), AMS).columns(),
            )
        )
        if interpreter:
            self.interpreters += 1
            await Allocation.insert(
                Allocation(
                    appointment=row["id"],
                    resource=f"test:interpreter:{self.interpreters}",
                    role=Allocation.INTERPRETER,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=minutes),
                    live=live,
                )
            )
        return row["id"]

    async def handover(
        self, point: int, topic: int, agency: int, status: str, outcome: str | None, start: str,
        booked: str, interpreter: str = "uk", minutes: int = 60,
    ) -> int:  # fmt: skip
        cancelled = status == Appointment.CANCELLED
        appointment = await self.appointment(
            point, topic, "uk", "handover", status, start, booked, minutes,
            interpreter=True, live=not cancelled,
        )  # fmt: skip
        await Handover.insert(
            Handover(
                appointment=appointment,
                agency=agency,
                place=Handover.AT_AGENCY,
                interpreter_language=interpreter,
                interpreter_mode="on_site",
                note="Zofia needs help with her BSN",
                outcome=outcome,
            )
        )
        return appointment


@pytest.fixture
async def dataset(db) -> dict[str, int]:
    """The fixed data set; the figures it must give are in the tests below."""
    north, west = await factories.region("noordoost-brabant"), await factories.region("west")
    veghel = await factories.point(north)
    uden = await factories.point(north, slug="uden")
    breda = await factories.point(west, slug="breda")
    housing = await factories.topic("housing")
    wages = await factories.topic("wages")
    registration = await factories.topic("registration")
    for topic, names in (
        (wages, {"en": "Wages", "pl": "Wynagrodzenie"}),
        (registration, {"en": "Registration in the municipality", "nl": "Inschrijving"}),
    ):
        await Topic.update({Topic.name: names}).where(Topic.id == topic)
    gemeente = await factories.agency(north, "gemeente")
    uwv = await factories.agency(north, "uwv")
    contact = (
        await MigrantContact.insert(
            MigrantContact(phone=PHONE, language="pl", first_name=FIRST_NAME)
        )
    )[0]["id"]
    b = Builder(contact)
    ap = b.appointment
    # 7 online Polish housing appointments: 2 cancelled, 1 no-show. P4 is on the Sunday
    # the clocks go back: 18:00 local is 17:00 UTC, and must count at 18 in the heatmap.
    await ap(veghel, housing, "pl", "online", "done", "2026-10-06T18:00", "2026-10-01T18:00")
    await ap(veghel, housing, "pl", "online", "done", "2026-10-06T18:30", "2026-10-06T09:00")
    await ap(veghel, housing, "pl", "online", "done", "2026-10-10T10:00", "2026-10-08T10:00")
    await ap(veghel, housing, "pl", "online", "no_show", "2026-10-25T18:00", "2026-10-20T18:00")
    await ap(veghel, housing, "pl", "online", "cancelled", "2026-10-26T09:00", "2026-10-19T09:00",
             interpreter=True, live=False)  # fmt: skip
    await ap(veghel, housing, "pl", "online", "cancelled", "2026-10-28T09:30", "2026-10-27T09:00")
    await ap(veghel, housing, "pl", "online", "confirmed", "2026-11-03T17:00", "2026-10-14T17:00")
    # 6 Romanian wages appointments by phone, all with an interpreter: five of an hour on
    # Thursday 5 November (2 done, 3 no-shows), one of half an hour a week later (arrived).
    for status in ("done", "done", "no_show", "no_show", "no_show"):
        await ap(veghel, wages, "ro", "phone", status, "2026-11-05T10:00", "2026-11-04T10:00",
                 minutes=60, interpreter=True)  # fmt: skip
    await ap(veghel, wages, "ro", "phone", "arrived", "2026-11-12T10:15", "2026-11-12T08:15",
             interpreter=True)  # fmt: skip
    # 3 Bulgarian housing walk-ins, two with an interpreter.
    for interpreted in (True, True, False):
        await ap(veghel, housing, "bg", "walk_in", "done", "2026-10-16T14:00", "2026-10-16T13:00",
                 interpreter=interpreted)  # fmt: skip
    # 1 Lithuanian registration by phone at 00:30 on 1 October: 30 September in UTC.
    await ap(veghel, registration, "lt", "phone", "done", "2026-10-01T00:30", "2026-09-25T00:30")
    # 8 warm handovers (Ukrainian, wages, an hour, Tuesdays 19:00): 5 took place and 1
    # migrant absent at the municipality (that one with a Russian interpreter), 1 at UWV
    # without an outcome yet, 1 at UWV cancelled.
    for _ in range(5):
        await b.handover(veghel, wages, gemeente, "done", "took_place", "2026-11-10T19:00",
                         "2026-11-02T19:00")  # fmt: skip
    await b.handover(veghel, wages, gemeente, "no_show", "migrant_absent", "2026-11-17T19:00",
                     "2026-11-10T19:00", interpreter="ru")  # fmt: skip
    await b.handover(veghel, wages, uwv, "confirmed", None, "2026-11-24T19:00", "2026-11-20T19:00")
    await b.handover(veghel, wages, uwv, "cancelled", None, "2026-11-24T20:00", "2026-11-20T19:00")
    # Not appointments: a hold that ran out, a hold given up (cancelled, held_until kept).
    hold = at("2026-10-06T10:00")
    await ap(veghel, housing, "pl", "online", "held", "2026-10-07T10:00", "2026-10-06T10:00",
             held_until=hold)  # fmt: skip
    await ap(veghel, housing, "pl", "online", "cancelled", "2026-10-07T11:00", "2026-10-06T10:00",
             held_until=hold)  # fmt: skip
    # Outside the period in local time (though inside it in UTC, for the second).
    await ap(veghel, housing, "pl", "online", "done", "2026-09-30T23:30", "2026-09-20T10:00")
    await ap(veghel, housing, "pl", "online", "confirmed", "2026-12-01T00:30", "2026-11-20T10:00")
    # Another region: 2 Polish appointments in Breda.
    for _ in range(2):
        await ap(breda, housing, "pl", "online", "done", "2026-10-07T10:00", "2026-10-01T10:00")
    return {
        "north": north, "west": west, "veghel": veghel, "uden": uden, "breda": breda,
        "housing": housing, "wages": wages, "registration": registration,
        "gemeente": gemeente, "uwv": uwv,
    }  # fmt: skip


async def test_appointments_by_topic_language_point_and_channel(dataset):
    report = await reports.build(Catalog(), dataset["north"], PERIOD)
    # Standing (booked, not cancelled): Polish 5, Romanian 6, Bulgarian 3, Ukrainian 7,
    # Lithuanian 1 = 22; the holds, the other region and the days outside do not count.
    assert report.by_language.shown() == [
        ("uk", "7"), ("ro", "6"), ("pl", "5"), ("bg", "<5"), ("lt", "<5"),
    ]  # fmt: skip
    assert report.by_language.total == Cell(22)
    # Housing 5 + 3 = 8, wages 6 + 7 = 13, registration 1: one hidden count beside a total
    # hides the next smallest too (else registration = 22 - 13 - 8).
    assert report.by_topic.shown() == [
        (dataset["wages"], "13"), (dataset["housing"], "-"), (dataset["registration"], "<5"),
    ]  # fmt: skip
    assert report.by_point.shown() == [(dataset["veghel"], "22"), (dataset["uden"], "0")]
    # Handover 7, phone 6 + 1 = 7, online 5 (hidden beside the walk-ins), walk-in 3.
    assert report.by_channel.shown() == [
        ("handover", "7"), ("phone", "7"), ("online", "-"), ("walk_in", "<5"),
    ]  # fmt: skip
    assert report.topics[dataset["housing"]]["pl"] == "Mieszkanie"
    assert {p.name for p in report.points.values()} == {"Point veghel", "Point uden"}


async def test_weeks_and_months_in_local_time(dataset):
    report = await reports.build(Catalog(), dataset["north"], PERIOD)
    assert [(week, cell.shown) for week, cell in report.by_week] == [
        ("2026-W40", "<5"),  # the Lithuanian at 00:30 on Thursday 1 October
        ("2026-W41", "<5"),  # Polish: 2 on Tuesday evening, 1 on Saturday
        ("2026-W42", "<5"),  # the Bulgarian walk-ins
        ("2026-W43", "<5"),  # the no-show on the Sunday the clocks go back
        ("2026-W44", "0"),  # both cancelled: nothing stands
        ("2026-W45", "6"),  # Polish evening on 3 November, 5 Romanians on the 5th
        ("2026-W46", "6"),  # 1 Romanian, 5 handovers
        ("2026-W47", "<5"),
        ("2026-W48", "<5"),  # the UWV handover (its cancelled twin does not count)
        ("2026-W49", "0"),  # Monday 30 November only
    ]
    assert sum(cell.count for _, cell in report.by_week) == 22
    october, november = report.by_month
    # October: 10 booked, 2 cancelled; 8 stand, 4 of them in the evening or at the weekend;
    # all 8 marked, 1 no-show.
    assert (october.month, october.appointments) == ("2026-10", Cell(8))
    assert october.cancellations == Rate(2, 10) and october.evening_or_weekend == Rate(4, 8)
    assert october.no_shows == Rate(1, 8)
    # November: 15 booked, 1 cancelled; 14 stand, 8 in the evening (17:00 and 7 x 19:00);
    # 12 marked (2 confirmed are not), 4 no-shows.
    assert (november.month, november.appointments) == ("2026-11", Cell(14))
    assert november.evening_or_weekend == Rate(8, 14) and november.evening_or_weekend.shown == "57%"
    assert november.no_shows == Rate(4, 12) and november.cancellations == Rate(1, 15)


async def test_shares_rates_and_lead_times(dataset):
    report = await reports.build(Catalog(), dataset["north"], PERIOD)
    # Evening (from 17:00 local): 3 Polish in October + 1 in November + 7 handovers = 11/22.
    assert report.shares["evening"] == Rate(11, 22) and report.shares["evening"].shown == "50%"
    assert report.shares["weekend"] == Rate(2, 22) and report.shares["weekend"].shown == "<5"
    assert report.shares["evening_or_weekend"].shown == "55%"  # 12 of 22
    # No-shows of the 20 marked: 1 Polish, 3 Romanian, 1 handover.
    assert report.no_shows == Rate(5, 20) and report.no_shows.shown == "25%"
    # Cancellations of the 25 booked: 2 Polish and 1 handover; too few to show.
    assert report.cancellations == Rate(3, 25) and report.cancellations.shown == "<5"
    # Same day 5, 1-2 days 6, 3-7 days 5, 8-14 days 5, 15+ days 1 (hidden, and "1-2 days"
    # with it: a hidden 5 beside it would give 22 - 15 = 6 = 1 + 5 away); the median of the
    # 22 is between 2 days (11th) and 4 days (12th).
    assert report.lead_times.shown() == [
        ("same day", "5"), ("1-2 days", "-"), ("3-7 days", "5"), ("8-14 days", "5"),
        ("15+ days", "<5"),
    ]  # fmt: skip
    assert [cell.count for _, cell in report.lead_times.rows] == [5, 6, 5, 5, 1]
    assert report.median_lead_days == 3.0


async def test_handovers_interpreters_and_the_heatmap(dataset):
    report = await reports.build(Catalog(), dataset["north"], PERIOD)
    # 7 standing handovers: 6 at the municipality, 1 at UWV (hidden, so the 6 is too).
    assert report.handovers_by_agency.shown() == [
        (dataset["gemeente"], "-"),
        (dataset["uwv"], "<5"),
    ]
    assert report.handovers_by_agency.total == Cell(7)
    # Took place 5, migrant absent 1, not recorded 1: 7 - 5 would show both hidden ones are 1,
    # and with the 5 hidden too 7 = 1 + 1 + 5 still would, so the total goes as well.
    outcomes = report.handovers_by_outcome
    assert dict(outcomes.shown()) == {
        "took_place": "-", "migrant_absent": "<5", "not_recorded": "<5", "agency_absent": "0",
        "moved": "0",
    }  # fmt: skip
    assert outcomes.total.shown == "-"
    # Romanian: 5 x 1 h + 0.5 h; Ukrainian: 6 handovers of 1 h; Bulgarian 2 and Russian 1
    # session: hidden. Cancelled appointments (allocations no longer live) do not count.
    assert report.interpreter_sessions.shown() == [
        ("ro", "6"), ("uk", "6"), ("bg", "<5"), ("ru", "<5"),
    ]  # fmt: skip
    assert report.interpreter_hours == {"bg": None, "ro": 5.5, "ru": None, "uk": 6.0}
    [(point, grid)] = report.occupancy.items()
    assert point == dataset["veghel"]
    tuesday, thursday, friday, saturday, sunday = 1, 3, 4, 5, 6
    assert grid[tuesday][19] == Cell(7) and grid[thursday][10] == Cell(6)
    assert grid[tuesday][18] == Cell(2, True) and grid[tuesday][17] == Cell(1, True)
    assert grid[sunday][18] == Cell(1, True) and grid[sunday][17] == Cell(0)  # DST
    assert grid[thursday][0] == Cell(1, True) and grid[friday][14] == Cell(3, True)
    assert grid[saturday][10] == Cell(1, True)
    assert sum(c.count for row in grid for c in row) == 22


async def test_all_regions_for_an_admin(dataset):
    report = await reports.build(Catalog(), None, PERIOD)
    assert dict(report.by_language.shown())["pl"] == "7"  # 5 at Veghel, 2 at Breda
    assert report.by_language.total == Cell(24)
    assert set(report.occupancy) == {dataset["veghel"], dataset["breda"]}
    west = await reports.build(Catalog(), dataset["west"], PERIOD)
    assert west.by_language.shown() == [("pl", "<5")] and west.handovers_by_agency.rows == ()


async def test_nothing_in_the_period_gives_empty_tables(dataset):
    report = await reports.build(
        Catalog(), dataset["north"], Period(date(2027, 3, 1), date(2027, 3, 31))
    )
    assert report.by_language.total == Cell(0) and report.occupancy == {}
    assert report.shares["evening"].shown == "-" and report.median_lead_days is None
    assert [m.month for m in report.by_month] == ["2027-03"]


def test_the_period_defaults_and_limits():
    today = date(2026, 12, 1)
    assert reports.parse_period(None, "", today) == Period(date(2026, 9, 1), today)
    assert reports.default_period(date(2027, 2, 14)) == Period(date(2026, 11, 1), date(2027, 2, 14))
    assert reports.parse_period("2025-12-31", "2026-12-31", today).first == date(2025, 12, 31)
    with pytest.raises(LongPeriod):
        reports.parse_period("2025-11-30", "2026-12-01", today)  # 14 calendar months
    with pytest.raises(ReversedPeriod):
        reports.parse_period("2026-12-02", "2026-12-01", today)
    for bad in ("2026-13-01", "1-1-2026", "99999-01-01", "1900-01-01", "2026-02-30"):
        with pytest.raises(reports.BadDate):
            reports.parse_period(bad, None, today)
