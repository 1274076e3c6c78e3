"""Answers to our texts: STOP, START, 1 or 2 to a reminder, in any of the 16 languages'
own words (booking/domain/keywords.py); anything else gets the help text.

The reply goes back in the language the number last booked in. "2" (or "NIE", "ANULEAZĂ",
...) cancels like the manage link does: the slot is freed and the usual cancellation text is
queued. ``answer`` takes only the number and the words, whatever channel brought them (SMS
or WhatsApp).
"""

from __future__ import annotations

from datetime import datetime

from booking.db.tables import Appointment, Message, MigrantContact
from booking.db.transactions import write_transaction
from booking.domain.keywords import Reply, understood
from booking.domain.policy import Policy
from booking.notify import opt_out, texts
from booking.services import changes
from booking.services.point_setup import Catalog, current_revision


async def language_of(phone: str) -> str:
    row = await (
        MigrantContact.select(MigrantContact.language)
        .where(MigrantContact.phone == phone)
        .order_by(MigrantContact.id, ascending=False)
        .first()
    )
    return row["language"] if row else "en"


async def answered_appointment(phone: str, now: datetime) -> dict | None:
    """The appointment of the newest reminder this number got, if it is still ahead."""
    reminder = await (
        Message.select(Message.appointment)
        .where(
            (Message.contact.phone == phone)
            & (Message.kind == Message.REMINDER)
            & Message.status.is_in([Message.SENT, Message.DELIVERED])
        )
        .order_by(Message.sent_at, ascending=False)
        .first()
    )
    if reminder is None:
        return None
    return await (
        Appointment.select()
        .where(
            (Appointment.id == reminder["appointment"])
            & (Appointment.status == Appointment.CONFIRMED)
            & (Appointment.starts_at > now)
        )
        .first()
    )


async def answer(
    catalog: Catalog, policy: Policy, phone: str, body: str, now: datetime
) -> str | None:
    """What to text back to ``body`` from ``phone``; None when a queued message answers."""
    reply = understood(body)
    language = await language_of(phone)
    if reply is Reply.STOP:
        await opt_out.stop(policy, phone, now)
        return texts.render(texts.REPLY_STOPPED, language)
    if reply is Reply.START:
        await opt_out.start(policy, phone)
        return texts.render(texts.REPLY_STARTED, language)
    if reply not in (Reply.YES, Reply.CANCEL):
        return texts.render(texts.REPLY_HELP, language)
    appointment = await answered_appointment(phone, now)
    if appointment is None:
        return texts.render(texts.REPLY_NOTHING, language)
    if reply is Reply.CANCEL:
        await changes.cancel(catalog, policy, appointment["id"], now=now)
        return None
    async with write_transaction():
        await Appointment.update({Appointment.reply_confirmed_at: now}).where(
            Appointment.id == appointment["id"]
        )
    point = (await catalog.point_infos(await current_revision()))[appointment["point"]]
    when = texts.when(appointment["starts_at"], point.tz, language)
    return texts.render(texts.REPLY_THANKS, language, when=when)
