"""What a handover's people receive, queued in the transaction of the change behind it.

The agency, the interpreter and the consultant get calendar invites by e-mail: a REQUEST
when it is booked or changes (same UID, SEQUENCE+1), a CANCEL when it is cancelled or when
they are swapped out. The migrant gets the texts of any appointment (booking/services/
notices.py), worded for a handover. Invites are in Dutch, the agencies' language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from email.utils import parseaddr

from booking.db.tables import Allocation, Appointment, Handover, InviteAttendee, Message
from booking.domain.policy import Policy
from booking.i18n import names_in
from booking.notify import mail, outbox
from booking.notify.ical import handover_events as invites
from booking.notify.ical.handover_email import email_text
from booking.notify.ical.handover_facts import Attendee, HandoverFacts
from booking.services import notices
from booking.services.handovers import invite_replies
from booking.services.point_setup import Catalog, current_revision

INVITE_LANGUAGE = "nl"


async def facts(
    catalog: Catalog, policy: Policy, appointment_id: int, language: str = INVITE_LANGUAGE
) -> tuple[HandoverFacts, list[Mapping]]:
    """What the invites of a handover say now, and every attendee row (retired ones too)."""
    row = await Appointment.select().where(Appointment.id == appointment_id).first()
    handover = await (
        Handover.select(
            Handover.all_columns(),
            Handover.agency.name.as_alias("agency_name"),
            Handover.agency.address.as_alias("agency_address"),
        )
        .where(Handover.appointment == appointment_id)
        .first()
    )
    revision = await current_revision()
    point = (await catalog.point_infos(revision))[row["point"]]
    topic = (await catalog.topics(revision))[row["topic"]]
    held = await Allocation.select(Allocation.role, Allocation.staff.name.as_alias("name")).where(
        (Allocation.appointment == appointment_id) & (Allocation.live == True)
    )
    names = {h["role"]: h["name"] for h in held if h["name"]}
    people = await InviteAttendee.select().where(InviteAttendee.appointment == appointment_id)
    consultant = names.get(Allocation.CONSULTANT) or next(
        (p["name"] for p in people if p["role"] == InviteAttendee.CONSULTANT), ""
    )
    joins = handover["consultant_joins"]
    found = HandoverFacts(
        appointment_id=appointment_id,
        sequence=row["sequence"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        timezone=point.timezone,
        topic=names_in(topic.name, language),
        agency_name=handover["agency_name"],
        agency_address=handover["agency_address"],
        point_name=point.name,
        point_address=", ".join(p for p in (point.address, point.city) if p),
        place=handover["place"],
        video_url=f"{policy.video_base_url}{handover['room']}" if handover["room"] else "",
        language=handover["interpreter_language"] or row["language"],
        interpreter_mode=handover["interpreter_mode"],
        interpreter_name=names.get(Allocation.INTERPRETER, ""),
        consultant_name=consultant,
        consultant_joins=joins,
        note=handover["note"],
        attendees=tuple(_attendee(p, joins) for p in people if p["active"]),
    )
    return found, list(people)


def _attendee(row: Mapping, consultant_joins: bool) -> Attendee:
    joins = consultant_joins or row["role"] != InviteAttendee.CONSULTANT
    return Attendee(row["email"], row["name"], row["role"], row["partstat"], joins)


def mailbox(policy: Policy) -> str:
    """The organizer's address: MAIL_FROM, the mailbox whose iTIP replies Loket reads."""
    return parseaddr(policy.mail_from)[1]


async def _send(
    policy: Policy,
    found: HandoverFacts,
    person: Mapping,
    calendar: bytes,
    method: str,
    now: datetime,
    *,
    everyone: bool = True,
) -> None:
    links = {}
    if method == invites.REQUEST and _attendee(person, found.consultant_joins).joins:
        token = invite_replies.reply_token(policy, person["id"], found.sequence, found.ends_at)
        links = {
            "accept_url": invite_replies.reply_url(policy, token, invite_replies.ACCEPT),
            "decline_url": invite_replies.reply_url(policy, token, invite_replies.DECLINE),
        }
    subject, text = email_text(
        found,
        method=method,
        language=INVITE_LANGUAGE,
        everyone=everyone,
        first_to_them=person["invited_sequence"] == found.sequence,
        **links,
    )
    body = mail.compose(
        sender=policy.mail_from,
        to=person["email"],
        subject=subject,
        text=text,
        calendar=calendar,
        method=method,
        domain=parseaddr(policy.mail_from)[1].rpartition("@")[2] or "localhost",
        date=now,
    )
    await outbox.enqueue(
        channel=Message.EMAIL,
        kind=Message.INVITE,
        language=INVITE_LANGUAGE,
        body=body,
        appointment_id=found.appointment_id,
        appointment_sequence=found.sequence,
        email=person["email"],
        due_at=now,
    )


async def send_invites(
    catalog: Catalog,
    policy: Policy,
    appointment_id: int,
    now: datetime,
    *,
    removed: Sequence[int] = (),
) -> None:
    """A REQUEST to everyone invited, and a CANCEL to each attendee in ``removed``."""
    found, people = await facts(catalog, policy, appointment_id)
    common = {"mailbox": mailbox(policy), "public_base_url": policy.public_base_url, "now": now}
    calendar = invites.request(found, **common)
    for person in people:
        if person["active"]:
            await _send(policy, found, person, calendar, invites.REQUEST, now)
        elif person["id"] in removed:
            gone = invites.cancel(found, attendees=[_attendee(person, True)], **common)
            await _send(policy, found, person, gone, invites.CANCEL, now, everyone=False)


async def send_cancellations(
    catalog: Catalog, policy: Policy, appointment_id: int, now: datetime
) -> None:
    """A CANCEL of the whole handover to everyone invited."""
    found, people = await facts(catalog, policy, appointment_id)
    calendar = invites.cancel(
        found, mailbox=mailbox(policy), public_base_url=policy.public_base_url, now=now
    )
    for person in people:
        if person["active"]:
            await _send(policy, found, person, calendar, invites.CANCEL, now)


async def booked(catalog: Catalog, policy: Policy, appointment_id: int, now: datetime) -> None:
    await send_invites(catalog, policy, appointment_id, now)
    await notices.confirmed(catalog, policy, appointment_id, now)


async def moved(
    catalog: Catalog,
    policy: Policy,
    appointment_id: int,
    now: datetime,
    *,
    removed: Sequence[int] = (),
) -> None:
    await send_invites(catalog, policy, appointment_id, now, removed=removed)
    await notices.moved(catalog, policy, appointment_id, now)
