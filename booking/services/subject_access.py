"""Everything Loket holds about one phone number, for a subject access request (AVG art. 15).

A coordinator's action across all regions: the person asks the organisation, not a region.
Every export is audited under a keyed hash of the number, so the audit log can show that a
number was looked up without holding the number itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from booking.db.tables import (
    Appointment,
    CallbackRequest,
    Handover,
    Message,
    MigrantContact,
    QueueEntry,
    WaitingEntry,
    WaitlistOffer,
)
from booking.domain.opening_hours import zone
from booking.domain.phone import mobile_e164
from booking.domain.policy import Policy
from booking.i18n import names_in
from booking.notify import opt_out
from booking.services.audit import trail
from booking.services.point_setup import Catalog, current_revision

#: Shown when a row names no point (a message without an appointment).
DEFAULT_ZONE = "Europe/Amsterdam"


async def export(
    catalog: Catalog, policy: Policy, raw_phone: str, *, account_id: int, language: str,
    now: datetime,
) -> dict[str, Any]:  # fmt: skip
    """The data held about the number in ``raw_phone`` (any usual notation), as plain JSON
    values; times are ISO 8601 in the point's zone. Audits the export.

    Raises:
        InvalidPhone: ``raw_phone`` is not a mobile number.
    """
    phone = mobile_e164(raw_phone)
    revision = await current_revision()
    points = await catalog.point_infos(revision)
    topics = await catalog.topics(revision)
    contacts = (
        await MigrantContact.select()
        .where(MigrantContact.phone == phone)
        .order_by(MigrantContact.id)
    )
    contact_ids = [c["id"] for c in contacts] or [0]
    appointments = await (
        Appointment.select().where(Appointment.contact.is_in(contact_ids)).order_by(Appointment.id)
    )
    appointment_ids = [a["id"] for a in appointments] or [0]
    zones = {a["id"]: zone(points[a["point"]].timezone) for a in appointments}
    messages = await (
        Message.select()
        .where(Message.contact.is_in(contact_ids) | Message.appointment.is_in(appointment_ids))
        .order_by(Message.id)
    )
    handovers = await (
        Handover.select(Handover.all_columns(), Handover.agency.name.as_alias("agency_name"))
        .where(Handover.appointment.is_in(appointment_ids))
        .order_by(Handover.id)
    )
    callbacks = await (
        CallbackRequest.select()
        .where(CallbackRequest.contact.is_in(contact_ids))
        .order_by(CallbackRequest.id)
    )
    waiting = await (
        WaitingEntry.select(
            WaitingEntry.all_columns(), WaitingEntry.region.name.as_alias("region_name")
        )
        .where(WaitingEntry.contact.is_in(contact_ids))
        .order_by(WaitingEntry.id)
    )
    offers = await (
        WaitlistOffer.select()
        .where(WaitlistOffer.entry.is_in([w["id"] for w in waiting] or [0]))
        .order_by(WaitlistOffer.id)
    )
    queued = await (
        QueueEntry.select().where(QueueEntry.contact.is_in(contact_ids)).order_by(QueueEntry.id)
    )
    await trail.record(
        account_id, trail.EXPORTED_SUBJECT_DATA, trail.subject_key(policy, phone), now
    )

    def point_name(point_id: int) -> str:
        return points[point_id].name if point_id in points else str(point_id)

    def at(instant: datetime | None, appointment_id: int | None = None) -> str | None:
        return _local(instant, zones.get(appointment_id or 0, zone(DEFAULT_ZONE)))

    def topic_name(topic_id: int) -> str:
        return names_in(topics[topic_id].name, language) if topic_id in topics else str(topic_id)

    return {
        "phone": phone,
        "exported_at": _local(now, zone(DEFAULT_ZONE)),
        "opted_out": bool(await opt_out.stopped(policy, [phone])),
        "contacts": [
            {
                "id": c["id"],
                "phone": c["phone"],
                "first_name": c["first_name"],
                "language": c["language"],
                "created_at": at(c["created_at"]),
                "erase_requested_at": at(c["erase_requested_at"]),
            }
            for c in contacts
        ],
        "appointments": [
            {
                "id": a["id"],
                "point": point_name(a["point"]),
                "topic": topic_name(a["topic"]),
                "language": a["language"],
                "channel": a["channel"],
                "status": a["status"],
                "starts_at": at(a["starts_at"], a["id"]),
                "ends_at": at(a["ends_at"], a["id"]),
                "booked_at": at(a["created_at"], a["id"]),
            }
            for a in appointments
        ],
        "messages": [_message(m, at) for m in messages],
        "handovers": [
            {
                "appointment": h["appointment"],
                "agency": h["agency_name"],
                "place": h["place"],
                "note": h["note"],
                "outcome": h["outcome"],
            }
            for h in handovers
        ],
        "callbacks": [
            {
                "id": c["id"],
                "point": point_name(c["point"]),
                "language": c["language"],
                "status": c["status"],
                "asked_at": at(c["created_at"]),
                "done_at": at(c["done_at"]),
            }
            for c in callbacks
        ],
        "waiting_list": [
            {
                "id": w["id"],
                "point": point_name(w["point"]) if w["point"] else w["region_name"],
                "topic": topic_name(w["topic"]),
                "language": w["language"],
                "windows": w["windows"],
                "status": w["status"],
                "joined_at": at(w["joined_at"]),
                "expires_at": at(w["expires_at"]),
                "offers": [
                    {
                        "point": point_name(o["point"]),
                        "starts_at": at(o["starts_at"]),
                        "status": o["status"],
                        "offered_at": at(o["offered_at"]),
                    }
                    for o in offers
                    if o["entry"] == w["id"]
                ],
            }
            for w in waiting
        ],
        "queue": [
            {
                "point": point_name(q["point"]),
                "day": q["local_date"].isoformat(),
                "number": q["number"],
                "topic": topic_name(q["topic"]),
                "language": q["language"],
                "status": q["status"],
                "joined_at": at(q["created_at"]),
                "called_at": at(q["called_at"]),
            }
            for q in queued
        ],
    }


def _message(row: Mapping, at: Any) -> dict[str, Any]:
    appointment = row["appointment"]
    return {
        "id": row["id"],
        "appointment": appointment,
        "channel": row["channel"],
        "kind": row["kind"],
        "status": row["status"],
        "to": row["email"] if row["channel"] == Message.EMAIL else None,
        "queued_at": at(row["created_at"], appointment),
        "sent_at": at(row["sent_at"], appointment),
        "body": row["body"],
    }


def _local(instant: datetime | None, tz: tzinfo) -> str | None:
    return instant.astimezone(tz).isoformat() if instant is not None else None
