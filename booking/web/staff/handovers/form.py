"""The handover screens' forms and words: what the new-handover form offers (points,
agencies, topics, people, languages), how its fields become a HandoverRequest with each bad
field named in the reader's language, and how times and answers are shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby
from typing import Any

from booking.db.tables import Agency, AgencyTopic, Handover, InviteAttendee, StaffMember
from booking.domain.errors import N_, InvalidInput, InvalidTime, LoketError
from booking.domain.languages import SERVICE_LANGUAGES, service_language
from booking.domain.phone import mobile_e164
from booking.i18n import gettext, language_name
from booking.services.auth.accounts import Account
from booking.services.handovers.plans import NOTE_MAX, SEARCH_DAYS, HandoverRequest
from booking.services.handovers.views import HandoverView
from booking.services.point_setup import PointInfo
from booking.services.views import AppointmentView
from booking.web.bounds import supported
from booking.web.staff.admin.forms import (
    CHECKBOX,
    CHOICE,
    DATE,
    Field,
    Values,
    choices,
    in_order,
    named,
    read,
    values_of,
)
from booking.web.staff.admin.people import MODES
from booking.web.staff.handovers.places import PLACES

OUTCOMES = {
    Handover.TOOK_PLACE: N_("It took place"),
    Handover.MIGRANT_ABSENT: N_("The migrant did not come"),
    Handover.AGENCY_ABSENT: N_("The agency was not there"),
    Handover.MOVED: N_("It was moved outside Loket"),
}
ANSWERS = {
    "NEEDS-ACTION": N_("No answer yet"),
    "ACCEPTED": N_("Accepted"),
    "DECLINED": N_("Declined"),
}
DURATIONS = (15, 30, 45, 60, 75, 90, 120, 150, 180, 240)
#: Days searched when the consultant does not say.
DEFAULT_DAYS = 14
CHECK_FIELD = N_("Please check “%(label)s”.")


class TooManyDays(InvalidInput):
    code = "too_many_days"
    message = N_("Please search at most %(days)s days at a time.")


@dataclass(frozen=True, slots=True)
class Origin:
    """The migrant's appointment the handover follows; their phone stays in the database."""

    id: int
    point_id: int
    topic_id: int
    language: str
    starts_at: datetime
    point: PointInfo


def origin_of(view: AppointmentView) -> Origin:
    return Origin(view.id, view.point.id, view.topic.id, view.language, view.starts_at, view.point)


@dataclass(frozen=True, slots=True)
class AgencyChoice:
    id: int
    name: str
    #: Empty: the agency takes any topic.
    topics: frozenset[int]


async def agency_choices(me: Account, region_id: int | None) -> list[AgencyChoice]:
    """Active agencies of the region (the account's when no point is chosen) or national."""
    query = Agency.select(Agency.id, Agency.name).where(Agency.active == True)
    region = region_id if region_id is not None else me.region_id
    if region is not None:
        query = query.where(Agency.region.is_null() | (Agency.region == region))
    agencies = await query.order_by(Agency.name)
    handled = await AgencyTopic.select(AgencyTopic.agency, AgencyTopic.topic).where(
        AgencyTopic.agency.is_in([a["id"] for a in agencies] or [0])
    )
    return [
        AgencyChoice(
            a["id"], a["name"], frozenset(h["topic"] for h in handled if h["agency"] == a["id"])
        )
        for a in agencies
    ]


def offered(agencies: list[AgencyChoice], topic_id: int | None) -> tuple[tuple[str, str], ...]:
    """The agencies to offer for ``topic_id``; reading a form accepts any of them, so a
    mismatch gets the service's own message."""
    return tuple(
        (str(a.id), a.name)
        for a in agencies
        if not topic_id or not a.topics or topic_id in a.topics
    )


async def consultant_choices(me: Account) -> list[tuple[str, str]]:
    """Whom an account without a staff member of its own may book as the consultant."""
    query = StaffMember.select(StaffMember.id, StaffMember.name).where(
        (StaffMember.kind == StaffMember.CONSULTANT) & (StaffMember.active == True)
    )
    if not me.is_admin:
        query = query.where(StaffMember.region.is_null() | (StaffMember.region == me.region_id))
    return [(str(s["id"]), s["name"]) for s in await query.order_by(StaffMember.name)]


def language_choices() -> tuple[tuple[str, str], ...]:
    return tuple((code, language_name(code)) for code in SERVICE_LANGUAGES)


def fields(
    me: Account,
    *,
    points: list[PointInfo],
    topics: dict[int, str],
    agencies: tuple[tuple[str, str], ...],
    consultants: list[tuple[str, str]],
    origin: Origin | None,
) -> list[Field]:
    """The form's inputs; the consultant is chosen only by an account without one."""
    found = [
        Field(
            "point",
            gettext("Information point"),
            CHOICE,
            True,
            choices=tuple((str(p.id), p.name) for p in points),
        ),
        Field(
            "topic",
            gettext("Topic"),
            CHOICE,
            True,
            choices=tuple((str(i), n) for i, n in topics.items()),
        ),
        Field("agency", gettext("Partner organisation"), CHOICE, True, choices=agencies),
        Field("place", gettext("Where"), CHOICE, True, choices=choices(PLACES)),
        Field(
            "duration",
            gettext("Duration"),
            CHOICE,
            True,
            choices=tuple((str(m), gettext("%(minutes)s minutes", minutes=m)) for m in DURATIONS),
        ),
        Field(
            "interpreter_language", gettext("Interpreter for"), CHOICE, choices=language_choices()
        ),
        Field(
            "interpreter_mode",
            gettext("Interpreter takes part"),
            CHOICE,
            True,
            choices=choices(MODES),
        ),
        Field("consultant_joins", gettext("The consultant joins"), CHECKBOX),
        Field("note", gettext("Handover note"), max_length=NOTE_MAX),
        Field("from", gettext("From"), DATE, True, example="2026-12-01"),
        Field("to", gettext("Until"), DATE, True, example="2026-12-14"),
    ]
    if me.staff_id is None:
        found.append(Field("consultant", gettext("Consultant"), CHOICE, choices=tuple(consultants)))
    if origin is None:
        found += [
            Field("phone", gettext("Migrant's mobile number"), required=True, max_length=32),
            Field(
                "language", gettext("Migrant's language"), CHOICE, False, choices=language_choices()
            ),
        ]
    return found


def initial_values(me: Account, origin: Origin | None, point_id: int | None, today: date) -> Values:
    """What a fresh form shows: the appointment's point, topic and language, if any."""
    language = origin.language if origin else ""
    return values_of(
        [
            ("point", origin.point_id if origin else point_id),
            ("topic", origin.topic_id if origin else None),
            ("place", Handover.AT_AGENCY),
            ("duration", 60),
            ("interpreter_language", language if language not in ("nl", "") else None),
            ("interpreter_mode", StaffMember.ON_SITE),
            ("consultant_joins", me.staff_id is not None),
            ("from", today),
            ("to", today + timedelta(days=DEFAULT_DAYS - 1)),
        ]
    )


def checked_days(found: list[Field], got: dict[str, Any]) -> None:
    """The search's days in order and no more of them than one search covers."""
    in_order(named(found, "from"), got["from"], named(found, "to"), got["to"], strict=False)
    if (got["to"] - got["from"]).days >= SEARCH_DAYS:
        raise TooManyDays("to", days=SEARCH_DAYS)


@dataclass(frozen=True, slots=True)
class Asked:
    """A read form: the request and the days to search."""

    request: HandoverRequest
    first: date
    last: date


def read_request(me: Account, found: list[Field], form: Values, origin: Origin | None) -> Asked:
    """The checked request; the first bad field raises InvalidInput with its label."""
    got: dict[str, Any] = read(found, form)
    checked_days(found, got)
    language = got["interpreter_language"] or None
    phone = None if origin else mobile_e164(got["phone"])
    # Unless chosen otherwise, the migrant speaks the language they need the interpreter for.
    migrant_language = None if origin else service_language(got["language"] or language or "")
    consultant = me.staff_id if me.staff_id is not None else int(got["consultant"] or 0) or None
    request = HandoverRequest(
        point_id=int(got["point"]),
        agency_id=int(got["agency"]),
        topic_id=int(got["topic"]),
        place=got["place"],
        duration=timedelta(minutes=int(got["duration"])),
        consultant_id=consultant,
        consultant_joins=got["consultant_joins"],
        interpreter_language=language,
        interpreter_mode=got["interpreter_mode"] if language else None,
        note=got["note"],
        origin_id=origin.id if origin else None,
        phone=phone,
        language=migrant_language,
    )
    return Asked(request, got["from"], got["to"])


def chosen_start(raw: str) -> datetime:
    """A time button's value: an instant with its offset, as the page wrote it."""
    try:
        start = datetime.fromisoformat(raw[:40])
    except ValueError:
        raise InvalidTime("start") from None
    if start.tzinfo is None:
        raise InvalidTime("start")
    return supported(start, "start")


def message_of(error: LoketError, found: list[Field]) -> str:
    """The error in the reader's language; the service's bare "check what you entered" names
    the field when it is one of the form's."""
    label = next((f.label for f in found if f.name == error.field), None)
    if type(error) is InvalidInput and label:
        return gettext(CHECK_FIELD, label=label)
    return gettext(error.message, **error.params)


def by_day(times: list[datetime], tz: tzinfo) -> list[tuple[date, list[datetime]]]:
    """Times offered, grouped by the local day they fall on."""
    local = [t.astimezone(tz) for t in times]
    return [(day, list(group)) for day, group in groupby(local, key=lambda t: t.date())]


def decliners(view: HandoverView) -> str:
    """Who said no to the current time, for the alert."""
    return ", ".join(
        i.name for i in view.invitees if i.active and i.partstat == InviteAttendee.DECLINED
    )
