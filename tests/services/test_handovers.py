"""Warm handovers on a real database: common times, atomic booking, invites in step (issue 6)."""

import asyncio
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_string
from email import policy as mime

import pytest
import vobject
from icalendar import Calendar

from booking.db.tables import Allocation, Appointment, Handover, InviteAttendee, Message
from booking.domain.errors import (
    InvalidInput,
    InvitationChanged,
    LinkExpired,
    MovedByConsultant,
    NoInterpreter,
    NotStartedYet,
    PhoneInNote,
    SlotNotOffered,
    SlotTaken,
    TopicNotHandled,
    UnknownAgency,
)
from booking.domain.opening_hours import zone
from booking.domain.policy import Policy
from booking.services import changes, feeds
from booking.services.handovers import bookings as handovers
from booking.services.handovers import invite_replies
from booking.services.handovers import views as handover_views
from booking.services.handovers.plans import HandoverRequest, find_times
from booking.services.point_setup import Catalog
from booking.settings import get_settings
from tests import factories
from tests.calendar_readers import in_every_reader
from tests.conftest import NOW

AMS = zone("Europe/Amsterdam")
PHONE = "+40712345678"
NOTE = "Needs a BSN; works nights at the warehouse, so evenings only."
#: Tuesday 1 December 2026, 18:00 in Veghel.
TUE_18 = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
THU_18 = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
AGENCY_MAILS = {"burgerzaken@gemeente.example", "intake@gemeente.example"}


@pytest.fixture
def policy():
    return Policy.from_settings(get_settings())


@pytest.fixture
async def world(db):
    north = await factories.region()
    veghel = await factories.point(north)
    topic = await factories.topic("registration", minutes=30)
    other_topic = await factories.topic("housing")
    gemeente = await factories.agency(north, topics=[topic])
    people = {
        "agnieszka": await factories.staff(
            veghel, ["pl", "nl"], name="Agnieszka", email="agnieszka@bmip.example", region=north
        ),
        "ion": await factories.staff(
            veghel, ["ro"], "interpreter", name="Ion", modes=["on_site", "phone"],
            email="ion@tolk.example", region=north,
        ),
        "maria": await factories.staff(
            veghel, ["ro"], "interpreter", name="Maria", modes=["on_site"],
            email="maria@tolk.example", region=None,
        ),
    }  # fmt: skip
    return {
        "region": north,
        "veghel": veghel,
        "topic": topic,
        "other_topic": other_topic,
        "agency": gemeente,
        **people,
    }


def wanted(world, **changes) -> HandoverRequest:
    base = HandoverRequest(
        point_id=world["veghel"],
        agency_id=world["agency"],
        topic_id=world["topic"],
        place="agency",
        duration=timedelta(minutes=60),
        consultant_id=world["agnieszka"],
        interpreter_language="ro",
        interpreter_mode="on_site",
        note=NOTE,
        phone=PHONE,
        language="ro",
    )
    return replace(base, **changes)


async def book(world, policy, start=TUE_18, now=NOW, **changes) -> int:
    return await handovers.book(Catalog(), policy, wanted(world, **changes), start, now=now)


async def subjects(appointment_id: int, email: str) -> list[str]:
    rows = (
        await Message.select(Message.body)
        .where((Message.appointment == appointment_id) & (Message.email == email))
        .order_by(Message.id)
    )
    return [message_from_string(r["body"], policy=mime.default)["Subject"] for r in rows]


async def invites(appointment_id: int) -> dict[str, list[tuple[Calendar, str]]]:
    """Every invite e-mail queued for a handover, by recipient: (calendar, text part)."""
    rows = await (
        Message.select(Message.email, Message.body)
        .where((Message.appointment == appointment_id) & (Message.channel == Message.EMAIL))
        .order_by(Message.id)
    )
    found: dict[str, list] = {}
    for row in rows:
        parsed = message_from_string(row["body"], policy=mime.default)
        part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
        calendar = Calendar.from_ical(part.get_content())
        assert part.get_param("method") == str(calendar["METHOD"])
        assert "712345678" not in row["body"].replace(" ", "")
        text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
        found.setdefault(row["email"], []).append((calendar, text.get_content()))
    return found


async def sent_calendars(appointment_id: int) -> list[bytes]:
    """The calendar part of every e-mail queued for a handover, byte for byte as sent."""
    bodies = await (
        Message.select(Message.body)
        .where((Message.appointment == appointment_id) & (Message.channel == Message.EMAIL))
        .output(as_list=True)
    )
    return [
        part.get_payload(decode=True)
        for body in bodies
        for part in message_from_string(body, policy=mime.default).walk()
        if part.get_content_type() == "text/calendar"
    ]


def attendees(vevent) -> list[str]:
    found = vevent.get("ATTENDEE", [])
    return [str(a) for a in (found if isinstance(found, list) else [found])]


def event(calendar: Calendar):
    [found] = calendar.walk("VEVENT")
    return found


async def texts_to_migrant(appointment_id: int) -> list[tuple[str, str]]:
    """The texts as they go out: with the manage link put in (tests/factories.py)."""
    rows = await Message.select(Message.id, Message.kind).where(
        (Message.appointment == appointment_id) & (Message.channel == Message.SMS)
    )
    return [(r["kind"], await factories.as_sent(r["id"])) for r in rows]


async def test_common_times_are_the_agency_hours_when_interpreter_and_consultant_are_free(
    world, policy
):
    times = await find_times(
        Catalog(), policy, wanted(world), first=date(2026, 12, 1), last=date(2026, 12, 7), now=NOW
    )
    local = [t.astimezone(AMS) for t in times]
    assert {t.date() for t in local} == {date(2026, 12, 1), date(2026, 12, 3)}
    assert all(time(17) <= t.time() <= time(20) for t in local)
    assert len(local) == 2 * 13  # 17:00 to 20:00 every quarter, on Tuesday and Thursday

    # Both interpreters busy on Thursday evening: only Tuesday is left.
    for person in ("ion", "maria"):
        await book(world, policy, THU_18 - timedelta(hours=1), interpreter_id=world[person],
                   consultant_id=await factories.staff(world["veghel"], ["nl"]),
                   duration=timedelta(hours=4))  # fmt: skip
    times = await find_times(
        Catalog(), policy, wanted(world), first=date(2026, 12, 1), last=date(2026, 12, 7), now=NOW
    )
    assert {t.astimezone(AMS).date() for t in times} == {date(2026, 12, 1)}


async def test_booking_holds_agency_place_interpreter_and_consultant_and_invites_them(
    world, policy
):
    appointment_id = await book(world, policy)

    held = await Allocation.select().where(Allocation.appointment == appointment_id)
    resources = {r["resource"] for r in held}
    interpreter = next(r["staff"] for r in held if r["role"] == Allocation.INTERPRETER)
    assert resources == {
        f"agency:{world['agency']}:1",
        f"staff:{world['agnieszka']}",
        f"staff:{interpreter}",
    }
    assert {(r["starts_at"], r["ends_at"]) for r in held} == {(TUE_18, TUE_18 + timedelta(hours=1))}

    sent = await invites(appointment_id)
    interpreter_mail = {world["ion"]: "ion@tolk.example", world["maria"]: "maria@tolk.example"}
    assert set(sent) == AGENCY_MAILS | {"agnieszka@bmip.example", interpreter_mail[interpreter]}
    for address, [(calendar, body)] in sent.items():
        vevent = event(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(vevent["UID"]) == f"handover-{appointment_id}@127.0.0.1"
        assert vevent["SEQUENCE"] == 0
        assert vevent.decoded("DTSTART") == TUE_18.astimezone(AMS)
        assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert NOTE in str(vevent["DESCRIPTION"])
        assert f"mailto:{address}" in [a.lower() for a in attendees(vevent)]
        # Second, independent parser: vobject resolves TZID through the VTIMEZONE.
        parsed = vobject.readOne(calendar.to_ical().decode())
        assert parsed.vevent.dtstart.value == TUE_18
        assert "/invites/" in body

    [text] = [t for k, t in await texts_to_migrant(appointment_id) if k == Message.CONFIRMATION]
    assert "Gemeente" in text and "/m/" in text
    view = await handover_views.handover(appointment_id)
    assert (view.note, view.place, view.interpreter_id, view.declined) == (
        NOTE, "agency", interpreter, False,
    )  # fmt: skip


async def test_twenty_consultants_racing_for_two_places_get_exactly_two(world, policy):
    consultants = [
        await factories.staff(world["veghel"], ["nl"], name=f"C{n}", region=world["region"])
        for n in range(20)
    ]
    catalog = Catalog()

    async def attempt(n):
        request = wanted(
            world, consultant_id=consultants[n], interpreter_language=None, interpreter_mode=None,
            phone=f"+4860123{n:04d}",
        )  # fmt: skip
        return await handovers.book(catalog, policy, request, TUE_18, now=NOW)

    results = await asyncio.gather(*(attempt(n) for n in range(20)), return_exceptions=True)

    wins = [r for r in results if isinstance(r, int)]
    assert len(wins) == 2
    assert all(isinstance(r, SlotTaken) for r in results if not isinstance(r, int)), results
    places = await Allocation.select(Allocation.resource).where(
        (Allocation.role == Allocation.AGENCY) & (Allocation.live == True)
    )
    assert sorted(p["resource"] for p in places) == [
        f"agency:{world['agency']}:1",
        f"agency:{world['agency']}:2",
    ]
    assert await Appointment.count() == 2
    assert await Handover.count() == 2
    # Nothing half-written by the losers: no invites or texts beyond the two winners'.
    assert await Message.count().where(Message.appointment.is_null()) == 0
    # The next half hour is still free.
    later = wanted(world, consultant_id=consultants[0], interpreter_language=None,
                   interpreter_mode=None)  # fmt: skip
    await handovers.book(catalog, policy, later, TUE_18 + timedelta(hours=1), now=NOW)


async def test_moving_keeps_the_interpreter_or_swaps_them_with_cancel_and_request(world, policy):
    appointment_id = await book(world, policy, interpreter_id=world["ion"])
    # Ion is busy on Thursday evening with another handover; Maria is free.
    await book(world, policy, THU_18, interpreter_id=world["ion"],
               consultant_id=await factories.staff(world["veghel"], ["nl"]))  # fmt: skip

    await handovers.reschedule(Catalog(), policy, appointment_id, THU_18, now=NOW)

    held = await Allocation.select().where(
        (Allocation.appointment == appointment_id) & (Allocation.live == True)
    )
    assert {r["starts_at"] for r in held} == {THU_18}
    assert {r["staff"] for r in held if r["role"] == Allocation.INTERPRETER} == {world["maria"]}
    sent = await invites(appointment_id)
    [_, cancel] = sent["ion@tolk.example"]
    assert str(cancel[0]["METHOD"]) == "CANCEL" and event(cancel[0])["SEQUENCE"] == 1
    assert attendees(event(cancel[0])) == ["mailto:ion@tolk.example"]
    assert "STATUS" not in event(cancel[0])  # the handover itself goes ahead
    [(calendar, text)] = sent["maria@tolk.example"]
    assert (str(calendar["METHOD"]), event(calendar)["SEQUENCE"]) == ("REQUEST", 1)
    # Maria's first invite reads as an invitation, not as a change (issue 13).
    assert "nodigt u uit" in text and "gewijzigd" not in text.lower()
    [subject] = await subjects(appointment_id, "maria@tolk.example")
    assert subject.startswith("Uitnodiging:")
    assert all(
        s.startswith("Gewijzigd:")
        for s in (await subjects(appointment_id, "agnieszka@bmip.example"))[1:]
    )
    for address in AGENCY_MAILS | {"agnieszka@bmip.example"}:
        versions = [(str(c["METHOD"]), event(c)["SEQUENCE"]) for c, _ in sent[address]]
        assert versions == [("REQUEST", 0), ("REQUEST", 1)]
        assert event(sent[address][1][0]).decoded("DTSTART") == THU_18.astimezone(AMS)
        assert len({str(event(c)["UID"]) for c, _ in sent[address]}) == 1
    kinds = [kind for kind, _ in await texts_to_migrant(appointment_id)]
    assert kinds.count(Message.CHANGE) == 1


async def test_a_move_that_cannot_hold_everything_changes_nothing(world, policy):
    appointment_id = await book(world, policy)
    for _ in range(2):  # both places at the agency taken on Thursday
        await book(world, policy, THU_18, interpreter_language=None, interpreter_mode=None,
                   consultant_id=await factories.staff(world["veghel"], ["nl"]))  # fmt: skip
    before = await Allocation.select().where(Allocation.appointment == appointment_id)
    messages_before = await Message.count()

    with pytest.raises(SlotTaken):
        await handovers.reschedule(Catalog(), policy, appointment_id, THU_18, now=NOW)

    assert await Allocation.select().where(Allocation.appointment == appointment_id) == before
    assert await Message.count() == messages_before
    row = await Appointment.select().where(Appointment.id == appointment_id).first()
    assert (row["starts_at"], row["sequence"]) == (TUE_18, 0)


async def test_cancelling_sends_everyone_a_cancel_and_frees_every_resource(world, policy):
    appointment_id = await book(world, policy)

    await changes.cancel(Catalog(), policy, appointment_id, now=NOW)

    assert await Allocation.count().where(Allocation.live == True) == 0
    for _, versions in (await invites(appointment_id)).items():
        calendar, _ = versions[-1]
        assert str(calendar["METHOD"]) == "CANCEL"
        assert (event(calendar)["SEQUENCE"], str(event(calendar)["STATUS"])) == (1, "CANCELLED")
        assert vobject.readOne(calendar.to_ical().decode()).vevent.status.value == "CANCELLED"
    assert Message.CANCELLATION in [k for k, _ in await texts_to_migrant(appointment_id)]
    times = await find_times(
        Catalog(), policy, wanted(world), first=date(2026, 12, 1), last=date(2026, 12, 1), now=NOW
    )
    assert TUE_18 in times


def reply_token(body: str, answer: str) -> str:
    return re.search(rf"/invites/([^?\s]+)\?answer={answer}", body).group(1)


async def test_a_decline_flags_the_handover_and_old_or_forged_links_are_refused(world, policy):
    appointment_id = await book(world, policy)
    sent = await invites(appointment_id)
    [(_, agency_mail)] = sent["intake@gemeente.example"]
    [(_, consultant_mail)] = sent["agnieszka@bmip.example"]

    accepted = await invite_replies.answer(
        policy, reply_token(consultant_mail, "accept"), "accept", NOW
    )
    assert accepted.partstat == InviteAttendee.ACCEPTED
    await invite_replies.answer(policy, reply_token(agency_mail, "decline"), "decline", NOW)
    view = await handover_views.handover(appointment_id)
    assert view.declined
    assert {i.email: i.partstat for i in view.invitees}["intake@gemeente.example"] == "DECLINED"
    # A change of mind clears the flag.
    await invite_replies.answer(policy, reply_token(agency_mail, "decline"), "accept", NOW)
    assert not (await handover_views.handover(appointment_id)).declined

    token = reply_token(agency_mail, "decline")
    forged = re.sub(r"^\d+", str(int(token.split(".")[0]) + 1), token)
    with pytest.raises(LinkExpired):
        await invite_replies.answer(policy, forged, "decline", NOW)
    with pytest.raises(LinkExpired):  # after the handover ended
        await invite_replies.answer(policy, token, "decline", TUE_18 + timedelta(hours=2))
    await handovers.reschedule(Catalog(), policy, appointment_id, THU_18, now=NOW)
    with pytest.raises(InvitationChanged):  # it answers a time that is no longer planned
        await invite_replies.answer(policy, token, "decline", NOW)


@pytest.mark.parametrize(
    ("now", "local"),
    [
        # The last Sunday of October 2026 (CEST ends at 03:00) and the Monday after it.
        (datetime(2026, 10, 20, 8, tzinfo=UTC), datetime(2026, 10, 25, 18, 0)),
        (datetime(2026, 10, 20, 8, tzinfo=UTC), datetime(2026, 10, 26, 18, 0)),
        # The last Sunday of March 2027 is Easter (a holiday), so the days around it.
        (datetime(2027, 3, 20, 8, tzinfo=UTC), datetime(2027, 3, 27, 18, 0)),
        (datetime(2027, 3, 20, 8, tzinfo=UTC), datetime(2027, 3, 30, 18, 0)),
        # Both changes of 2027 and 2028 (issue 13), with the Monday 1 November 10:00.
        (datetime(2027, 10, 25, 8, tzinfo=UTC), datetime(2027, 10, 31, 18, 0)),
        (datetime(2027, 10, 25, 8, tzinfo=UTC), datetime(2027, 11, 1, 10, 0)),
        (datetime(2028, 3, 20, 8, tzinfo=UTC), datetime(2028, 3, 26, 18, 0)),
        (datetime(2028, 10, 23, 8, tzinfo=UTC), datetime(2028, 10, 30, 18, 0)),
    ],
)
async def test_invites_in_dst_weeks_keep_the_local_time(world, policy, now, local):
    dst = await factories.agency(world["region"], "dst", hours=((range(7), "09:00", "21:00", 1),))
    start = local.replace(tzinfo=AMS)
    appointment_id = await book(world, policy, start, now=now, agency_id=dst)

    for _, [(calendar, body)] in (await invites(appointment_id)).items():
        vevent = event(calendar)
        assert vevent.decoded("DTSTART").replace(tzinfo=None) == local
        assert vevent.decoded("DTSTART") == start
        assert vobject.readOne(calendar.to_ical().decode()).vevent.dtstart.value == start
        assert f"{local:%H:%M}" in body

    # As sent and as the agency's feed publishes it, every parser reads the same instant.
    expected = {
        str(vevent["UID"]): (start.astimezone(UTC), (start + timedelta(hours=1)).astimezone(UTC))
    }
    for sent in await sent_calendars(appointment_id):
        assert in_every_reader(sent) == expected
    _, token = await feeds.create(agency_id=dst, now=now)
    found = await feeds.upcoming("agency", token, policy, now)
    assert in_every_reader(await feeds.calendar(Catalog(), policy, found, now)) == expected


async def test_what_cannot_be_booked_is_refused_with_nothing_written(world, policy):
    cases = [
        ({"agency_id": 999_999}, UnknownAgency),
        ({"topic_id": world["other_topic"]}, TopicNotHandled),
        ({"interpreter_language": "bg"}, NoInterpreter),
        ({"interpreter_mode": "video", "interpreter_language": "ro"}, NoInterpreter),
        ({"place": "moon"}, InvalidInput),
        ({"duration": timedelta(minutes=7)}, InvalidInput),
        ({"interpreter_mode": None}, InvalidInput),
        ({"place": "video", "interpreter_mode": "on_site"}, InvalidInput),
        ({"note": "x" * 501}, InvalidInput),
        ({"note": "Call her on 06 1234 5678 first"}, PhoneInNote),
        ({"phone": "12"}, InvalidInput),
    ]
    for change, error in cases:
        with pytest.raises(error):
            await book(world, policy, **change)
    with pytest.raises(SlotNotOffered):  # Wednesday: the agency takes no handovers
        await book(world, policy, TUE_18 + timedelta(days=1))
    with pytest.raises(SlotNotOffered):  # not on the five-minute grid
        await book(world, policy, TUE_18 + timedelta(minutes=7))
    assert await Appointment.count() == 0
    assert await Message.count() == 0


async def test_outcome_after_the_start_and_a_migrant_cannot_move_a_handover(world, policy):
    appointment_id = await book(world, policy)
    with pytest.raises(NotStartedYet):
        await handovers.record_outcome(appointment_id, "took_place", now=NOW)
    with pytest.raises(MovedByConsultant):
        await changes.reschedule(Catalog(), policy, appointment_id, THU_18, now=NOW)

    await handovers.record_outcome(appointment_id, "migrant_absent", now=TUE_18)
    assert (await handover_views.handover(appointment_id)).status == Appointment.NO_SHOW
    await handovers.record_outcome(appointment_id, "took_place", now=TUE_18)
    view = await handover_views.handover(appointment_id)
    assert (view.outcome, view.status) == ("took_place", Appointment.DONE)
