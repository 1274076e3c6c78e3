"""What the handover API answers: a handover as staff and other systems read it, in the
point's zone, with who was invited and how they answered."""

from __future__ import annotations

from datetime import datetime

import msgspec

from booking.domain.policy import Policy
from booking.services.handovers.views import HandoverView
from booking.services.point_setup import PointInfo


class TimeOut(msgspec.Struct):
    start: datetime
    end: datetime


class TimesOut(msgspec.Struct):
    timezone: str
    times: list[TimeOut]


class PersonOut(msgspec.Struct):
    id: int | None
    name: str | None


class InviteeOut(msgspec.Struct):
    role: str
    name: str
    email: str
    #: The invitee's answer: NEEDS-ACTION, ACCEPTED or DECLINED (iTIP PARTSTAT).
    answer: str
    #: False once swapped out (they were sent a cancellation).
    active: bool


class ProposalOut(msgspec.Struct):
    """Another time an invitee proposed from their calendar (iTIP COUNTER)."""

    name: str
    role: str
    start: datetime
    end: datetime
    comment: str


class HandoverOut(msgspec.Struct):
    id: int
    status: str
    point: int
    topic: int
    agency: PersonOut
    start: datetime
    end: datetime
    timezone: str
    place: str
    language: str
    interpreter_language: str | None
    interpreter_mode: str | None
    interpreter: PersonOut | None
    consultant: PersonOut
    consultant_joins: bool
    note: str
    video_url: str | None
    #: Someone invited declined the current time: choose another.
    declined: bool
    outcome: str | None
    invitees: list[InviteeOut]
    #: Other times invitees proposed for the current version, newest first.
    proposals: list[ProposalOut] = []
    #: Booked, but without an e-mail address: they get no invitation.
    uninvited: list[str] = []


def handover_out(
    view: HandoverView, point: PointInfo, policy: Policy, proposals: list[dict] | None = None
) -> HandoverOut:
    tz = point.tz
    return HandoverOut(
        id=view.id,
        status=view.status,
        point=view.point_id,
        topic=view.topic_id,
        agency=PersonOut(view.agency_id, view.agency_name),
        start=view.starts_at.astimezone(tz),
        end=view.ends_at.astimezone(tz),
        timezone=point.timezone,
        place=view.place,
        language=view.language,
        interpreter_language=view.interpreter_language,
        interpreter_mode=view.interpreter_mode,
        interpreter=PersonOut(view.interpreter_id, view.interpreter_name)
        if view.interpreter_id
        else None,
        consultant=PersonOut(view.consultant_id, view.consultant_name),
        consultant_joins=view.consultant_joins,
        note=view.note,
        video_url=f"{policy.video_base_url}{view.room}" if view.room else None,
        declined=view.declined,
        outcome=view.outcome,
        invitees=[InviteeOut(i.role, i.name, i.email, i.partstat, i.active) for i in view.invitees],
        uninvited=view.uninvited,
        proposals=[
            ProposalOut(
                name=p["name"],
                role=p["role"],
                start=p["starts_at"].astimezone(tz),
                end=p["ends_at"].astimezone(tz),
                comment=p["comment"],
            )
            for p in proposals or ()
        ],
    )
