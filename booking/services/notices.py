"""What a migrant hears about their appointment, queued in the transaction of the change.

Confirmed: a confirmation and the reminders. Moved: withdraw what has not gone out, tell
the new time, plan the reminders again. Cancelled: withdraw, and say so. Every message
carries the appointment's ``sequence``, so one that is still queued when the appointment
changes again is skipped at send time (booking/notify/dispatcher.py). The manage link is
written as a placeholder and put in at send time (booking/notify/placeholders.py); a
cancellation links to the booking start page instead, for a new appointment.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from booking.db.tables import Appointment, Handover, Message, Point
from booking.domain.policy import Policy
from booking.domain.reminders import plan_reminders
from booking.notify import outbox, placeholders, texts
from booking.notify.whatsapp import templates
from booking.services.point_setup import Catalog, PointInfo, current_revision

#: Kinds a newer change makes obsolete while they wait in the outbox.
ABOUT_THE_TIME = (Message.CONFIRMATION, Message.REMINDER, Message.CHANGE)


async def _about(catalog: Catalog, policy: Policy, row: dict, now: datetime) -> texts.About:
    revision = await current_revision()
    point = (await catalog.point_infos(revision))[row["point"]]
    if row["channel"] == Appointment.HANDOVER:
        return await _about_handover(point, row)
    place = None
    if point.kind == "mobile":
        day = row["starts_at"].astimezone(point.tz).date()
        setup = await catalog.point(
            point.id, revision, day, day, policy.today(now), policy.horizon_days
        )
        visit = setup.visit_on(day) if setup else None
        place = visit.place_in(row["language"]) if visit else None
    return texts.About(
        start=row["starts_at"],
        tz=point.tz,
        where=texts.where(point.kind, point.address, point.city, place, row["language"]),
        link=placeholders.LINK,
    )


async def _about_handover(point: PointInfo, row: dict) -> texts.About:
    """A handover happens at the agency, at the point, or by video; it is with the agency."""
    handover = await (
        Handover.select(
            Handover.place,
            Handover.interpreter_mode,
            Handover.agency.name.as_alias("agency"),
            Handover.agency.address.as_alias("address"),
        )
        .where(Handover.appointment == row["id"])
        .first()
    )
    if handover["place"] == Handover.AT_AGENCY:
        street, _, town = handover["address"].rpartition(",")
        where = texts.where(Point.PHYSICAL, street, town, None, "")
    elif handover["place"] == Handover.BY_VIDEO:
        where = texts.where(Point.VIDEO, "", "", None, row["language"])
    else:
        where = texts.where(point.kind, point.address, point.city, None, row["language"])
    return texts.About(
        start=row["starts_at"],
        tz=point.tz,
        where=where,
        link=placeholders.LINK,
        agency=handover["agency"],
        interpreted=handover["interpreter_mode"] is not None,
    )


async def _row(appointment_id: int) -> dict:
    return (
        await Appointment.select(
            Appointment.id,
            Appointment.point,
            Appointment.channel,
            Appointment.contact,
            Appointment.contact.text_channel.as_alias("text_channel"),
            Appointment.language,
            Appointment.starts_at,
            Appointment.sequence,
        )
        .where(Appointment.id == appointment_id)
        .first()
    )


async def _queue(kind: str, row: dict, about: texts.About, due: datetime, template: str) -> None:
    name, variables = templates.stored(template, row["language"], about)
    await outbox.enqueue(
        kind=kind,
        language=row["language"],
        body=texts.render(template, row["language"], about),
        template=name,
        variables=variables,
        channel=outbox.text_channel(row["text_channel"]),
        appointment_id=row["id"],
        appointment_sequence=row["sequence"],
        contact_id=row["contact"],
        due_at=due,
    )


async def _reminders(policy: Policy, row: dict, about: texts.About, now: datetime) -> None:
    for due in plan_reminders(
        row["starts_at"], policy.reminders, tz=about.tz, now=now, quiet=policy.quiet
    ):
        await _queue(Message.REMINDER, row, about, due, texts.REMINDER)


async def confirmed(catalog: Catalog, policy: Policy, appointment_id: int, now: datetime) -> None:
    row = await _row(appointment_id)
    about = await _about(catalog, policy, row, now)
    await _queue(Message.CONFIRMATION, row, about, now, texts.confirmation(about))
    await _reminders(policy, row, about, now)


async def moved(catalog: Catalog, policy: Policy, appointment_id: int, now: datetime) -> None:
    await outbox.cancel_pending(appointment_id, ABOUT_THE_TIME)
    row = await _row(appointment_id)
    about = await _about(catalog, policy, row, now)
    await _queue(Message.CHANGE, row, about, now, texts.CHANGE)
    await _reminders(policy, row, about, now)


async def cancelled(catalog: Catalog, policy: Policy, appointment_id: int, now: datetime) -> None:
    await outbox.cancel_pending(appointment_id, (*ABOUT_THE_TIME, Message.CODE))
    row = await _row(appointment_id)
    about = replace(
        await _about(catalog, policy, row, now),
        link=f"{policy.public_base_url}/{row['language']}/",
    )
    await _queue(Message.CANCELLATION, row, about, now, texts.CANCELLATION)


async def offered(catalog: Catalog, policy: Policy, appointment_id: int, now: datetime) -> None:
    """A freed time offered from the waiting list; its link holds it for the offer's minutes."""
    row = await _row(appointment_id)
    about = await _about(catalog, policy, row, now)
    minutes = int(policy.offer.total_seconds() // 60)
    name, variables = templates.stored(texts.OFFER, row["language"], about, minutes=minutes)
    await outbox.enqueue(
        kind=Message.OFFER,
        language=row["language"],
        body=texts.render(texts.OFFER, row["language"], about, minutes=minutes),
        template=name,
        variables=variables,
        channel=outbox.text_channel(row["text_channel"]),
        appointment_id=row["id"],
        appointment_sequence=row["sequence"],
        contact_id=row["contact"],
        due_at=now,
    )
