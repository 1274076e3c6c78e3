"""What a warm handover asks for, checked against the master data, and where it fits.

A request names the agency, the topic, the place, the interpreter's language and mode and
the consultant; ``plan`` reads and checks all of them for some days, and the pure engine
(booking/domain/common_slots.py) finds the times when all of them are free together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from booking.db.tables import Allocation, Handover, InviteAttendee, StaffMember, StaffPoint
from booking.domain.availability import SlotRules, StaffCalendar
from booking.domain.common_slots import Group, assign, common_starts
from booking.domain.errors import (
    ConsultantNotAtPoint,
    InvalidInput,
    MovedByConsultant,
    NoInterpreter,
    OnSiteAtVideo,
    PhoneInNote,
    SlotNotOffered,
    SlotTaken,
    TopicNotHandled,
    UnknownAgency,
    UnknownConsultant,
    UnknownPoint,
    UnknownTopic,
    VideoOnlyAgency,
)
from booking.domain.intervals import Interval
from booking.domain.opening_hours import local_day_bounds
from booking.domain.policy import Policy
from booking.notify.ical.handover_facts import PHONE_LIKE
from booking.services.handovers.setup import (
    AgencyInfo,
    Calendars,
    StaffInfo,
    agency_info,
    busy_of,
    interpreters_for,
    load_calendars,
    staff_info,
)
from booking.services.point_setup import Catalog, PointInfo, TopicInfo, current_revision

#: Times agreed with an agency by phone may be on any five minutes.
GRID = timedelta(minutes=5)
SHORTEST, LONGEST = timedelta(minutes=15), timedelta(hours=4)
NOTE_MAX = 500
#: One search covers at most this many days.
SEARCH_DAYS = 31


@dataclass(frozen=True, slots=True)
class HandoverRequest:
    """What the consultant asks for. The migrant is named by an appointment of theirs
    (``origin_id``) or by phone and language."""

    point_id: int
    agency_id: int
    topic_id: int
    place: str
    duration: timedelta
    consultant_id: int | None
    consultant_joins: bool = True
    interpreter_language: str | None = None
    interpreter_mode: str | None = None
    interpreter_id: int | None = None
    note: str = ""
    origin_id: int | None = None
    phone: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A checked request with its point, topic, agency, people and their working time."""

    request: HandoverRequest
    point: PointInfo
    topic: TopicInfo
    agency: AgencyInfo
    consultant: StaffInfo | None
    calendars: Calendars

    def groups(
        self, busy: Mapping[str, Sequence[Interval]], policy: Policy, prefer: int | None = None
    ) -> list[Group]:
        return self.calendars.groups(
            busy,
            by_arrangement=self.agency.by_arrangement,
            needs_interpreter=self.request.interpreter_language is not None,
            buffer=policy.rules.buffer,
            prefer_interpreter=prefer,
        )


def clean_note(raw: str) -> str:
    """The consented note without control characters (it goes into e-mails and invites)."""
    note = "".join(c if c.isprintable() or c == "\n" else " " for c in raw).strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput("note")
    if PHONE_LIKE.search(note):
        raise PhoneInNote("note")
    return note


def checked(request: HandoverRequest) -> HandoverRequest:
    """The request with its plain fields checked; the database-backed checks are in ``plan``."""
    if request.place not in Handover.PLACES:
        raise InvalidInput("place")
    minutes = request.duration.total_seconds() / 60
    if not SHORTEST <= request.duration <= LONGEST or minutes % 5:
        raise InvalidInput("duration")
    language, mode = request.interpreter_language, request.interpreter_mode
    if (language is None) != (mode is None):
        raise InvalidInput("interpreter_mode")
    if mode is not None and mode not in StaffMember.INTERPRETER_MODES:
        raise InvalidInput("interpreter_mode")
    if request.place == Handover.BY_VIDEO and mode == StaffMember.ON_SITE:
        raise OnSiteAtVideo("interpreter_mode")
    if request.consultant_joins and request.consultant_id is None:
        raise UnknownConsultant("consultant")
    return replace(request, note=clean_note(request.note))


async def plan(catalog: Catalog, request: HandoverRequest, first: date, last: date) -> Plan:
    """Reads and checks everything the request names, for the local days [first, last]."""
    request = checked(request)
    revision = await current_revision()
    point = (await catalog.point_infos(revision)).get(request.point_id)
    if point is None or not point.active:
        raise UnknownPoint("point")
    topic = (await catalog.topics(revision)).get(request.topic_id)
    if topic is None:
        raise UnknownTopic("topic")
    agency = await agency_info(request.agency_id)
    if agency is None or not agency.active or agency.region_id not in (None, point.region_id):
        raise UnknownAgency("agency")
    if not agency.handles(topic.id):
        raise TopicNotHandled("topic")
    if agency.video_only and request.place == Handover.AT_AGENCY:
        raise VideoOnlyAgency("place")
    consultant = None
    if request.consultant_id is not None:
        consultant = (await staff_info([request.consultant_id])).get(request.consultant_id)
        if (
            consultant is None
            or not consultant.active
            or consultant.kind != StaffMember.CONSULTANT
            or consultant.region_id not in (None, point.region_id)
        ):
            raise UnknownConsultant("consultant")
        serves = await StaffPoint.exists().where(
            (StaffPoint.staff == consultant.id) & (StaffPoint.point == point.id)
        )
        if not serves:
            raise ConsultantNotAtPoint("consultant")
    interpreters: list[StaffInfo] = []
    if request.interpreter_language is not None and request.interpreter_mode is not None:
        interpreters = await interpreters_for(
            request.interpreter_language, request.interpreter_mode, point.region_id
        )
        if request.interpreter_id is not None:
            interpreters = [i for i in interpreters if i.id == request.interpreter_id]
        if not interpreters:
            raise NoInterpreter("interpreter_language")
    calendars = await load_calendars(
        agency=agency,
        interpreters=interpreters,
        consultant_id=request.consultant_id if request.consultant_joins else None,
        tz=point.tz,
        first=first,
        last=last,
    )
    return Plan(request, point, topic, agency, consultant, calendars)


def search_rules(policy: Policy, grid: timedelta) -> SlotRules:
    """Handovers may start any time from now to the horizon; staff keep their buffer."""
    return SlotRules(
        grid=grid, buffer=policy.rules.buffer, min_notice=timedelta(0), horizon=policy.rules.horizon
    )


async def find_times(
    catalog: Catalog,
    policy: Policy,
    request: HandoverRequest,
    *,
    first: date,
    last: date,
    now: datetime,
) -> list[datetime]:
    """Starts on the point's slot grid in the local days [first, last] where the agency, an
    interpreter and the consultant (if joining) are free together."""
    if last < first or (last - first).days >= SEARCH_DAYS:
        raise InvalidInput("to")
    found = await plan(catalog, request, first, last)
    tz = found.point.tz
    reach = found.request.duration + policy.rules.buffer
    busy, _ = await busy_of(found.calendars, first, last, tz, reach, now)
    return common_starts(
        found.groups(busy, policy),
        duration=found.request.duration,
        rules=search_rules(policy, policy.rules.grid),
        now=now,
        tz=tz,
        within=local_day_bounds(first, last, tz),
    )


def choose(
    found: Plan,
    policy: Policy,
    busy: Mapping[str, Sequence[Interval]],
    start: datetime,
    now: datetime,
    prefer: int | None = None,
) -> list[tuple[str, StaffCalendar]]:
    """Who and which agency place take ``start``, or why nobody can."""
    if not search_rules(policy, GRID).admits(start, now, found.point.tz):
        raise SlotNotOffered("start")
    groups = found.groups(busy, policy, prefer)
    chosen = assign(start, groups, found.request.duration)
    if chosen is None:
        if assign(start, found.groups({}, policy), found.request.duration) is not None:
            raise SlotTaken("start")
        raise SlotNotOffered("start")
    return [(g.role, member) for g, member in zip(groups, chosen, strict=True)]


async def stored_request(appointment: Mapping) -> tuple[HandoverRequest, int | None]:
    """The request a booked handover was made from, and its current interpreter."""
    handover = await Handover.select().where(Handover.appointment == appointment["id"]).first()
    if handover is None:
        raise MovedByConsultant("appointment")
    held = await Allocation.select(Allocation.role, Allocation.staff).where(
        (Allocation.appointment == appointment["id"]) & (Allocation.live == True)
    )
    by_role = {h["role"]: h["staff"] for h in held}
    consultant = by_role.get(Allocation.CONSULTANT)
    if consultant is None:
        organiser = (
            await InviteAttendee.select(InviteAttendee.staff)
            .where(
                (InviteAttendee.appointment == appointment["id"])
                & (InviteAttendee.role == InviteAttendee.CONSULTANT)
            )
            .first()
        )
        consultant = organiser["staff"] if organiser else None
    request = HandoverRequest(
        point_id=appointment["point"],
        agency_id=handover["agency"],
        topic_id=appointment["topic"],
        place=handover["place"],
        duration=appointment["ends_at"] - appointment["starts_at"],
        consultant_id=consultant,
        consultant_joins=handover["consultant_joins"],
        interpreter_language=handover["interpreter_language"],
        interpreter_mode=handover["interpreter_mode"],
        note=handover["note"],
    )
    return request, by_role.get(Allocation.INTERPRETER)
