"""Erasing a migrant's personal data: one way, shared by the retention job and by erasure on
request from the manage page (DOMAIN.md rule 6).

What goes: the number and first name of a contact, handover notes, the text of every message
and its provider id (a key into the provider's log, which holds the number), code hashes,
manage-token hashes and salts (the link stops working), and every link from an appointment,
message or call-back to the contact. What stays: the anonymous facts the reports count (point,
topic, language, channel, status, times, allocations, handover agency and outcome), message
kind, channel, status and times, and SMS opt-outs (keyed hashes, so STOP keeps working).

A message still waiting in the outbox keeps its text and its recipient until it is settled,
and a number stays as long as anything still waits for it; a later run finishes the rest.
Every function here runs inside the caller's write transaction, so nothing is half-erased.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from booking.db.rows import fetch_tuples
from booking.db.tables import (
    Appointment,
    CallbackRequest,
    Handover,
    Message,
    MigrantContact,
    QueueEntry,
    WaitingEntry,
)
from booking.db.transactions import is_sqlite, write_transaction
from booking.domain.policy import Policy
from booking.services import changes
from booking.services.point_setup import Catalog
from booking.services.views import locked_appointment
from booking.services.waitlist import joining

#: Messages a dispatcher may still send: their text and recipient must stay until then.
UNSETTLED = (Message.PENDING, Message.SENDING)
#: What an erased message keeps: kind, channel, status and times.
_ERASED_MESSAGE = {
    Message.body: "",
    Message.variables: None,
    Message.seed: None,
    Message.provider_id: None,
    Message.contact: None,
}


async def erase_appointments(ids: Iterable[int], now: datetime) -> list[int]:
    """Erases what identifies someone in these appointments; returns the ones now fully erased.

    One with a message still waiting keeps that message and its link to the contact (the
    dispatcher needs the number) and is finished by a later run.
    """
    ids = sorted(set(ids))
    if not ids:
        return []
    await Handover.update({Handover.note: ""}).where(
        Handover.appointment.is_in(ids) & (Handover.note != "")
    )
    await Appointment.update(
        {
            Appointment.code_hash: None,
            Appointment.manage_token_hash: None,
            Appointment.manage_salt: None,
        }
    ).where(Appointment.id.is_in(ids))
    await Message.update(_ERASED_MESSAGE).where(
        Message.appointment.is_in(ids) & Message.status.not_in(list(UNSETTLED))
    )
    waiting = {
        r["appointment"]
        for r in await Message.select(Message.appointment).where(
            Message.appointment.is_in(ids) & Message.status.is_in(list(UNSETTLED))
        )
    }
    done = [i for i in ids if i not in waiting]
    if done:
        await Appointment.update({Appointment.contact: None, Appointment.erased_at: now}).where(
            Appointment.id.is_in(done) & Appointment.erased_at.is_null()
        )
    return done


async def erase_contacts(
    ids: Iterable[int], now: datetime, *, newer_than: datetime | None
) -> list[int]:
    """Empties the number and first name of each contact nothing waits for; returns those.

    Something waits for a contact while it has an appointment not yet erased (a newer one,
    or one whose messages are still in the outbox), a message still to send, an open
    call-back, or (with ``newer_than``, the retention cut-off) a call-back asked since, a
    waiting-list entry still verifying or waiting, or a walk-in queue entry not yet served
    nor closed (the queue's past days close at local midnight, so that is today's).
    The ids travel as one parameter, so a retention batch of thousands is a few statements.
    """
    ids = sorted(set(ids))
    if not ids:
        return []
    recent = "status = {}" if newer_than is None else "(status = {} OR created_at >= {})"
    busy = await fetch_tuples(
        f"SELECT contact FROM appointment WHERE {_among('contact')} AND erased_at IS NULL"  # noqa: S608
        f" UNION SELECT contact FROM message WHERE {_among('contact')} AND status IN ({{}}, {{}})"
        f" UNION SELECT contact FROM callback_request WHERE {_among('contact')} AND {recent}"
        f" UNION SELECT contact FROM waiting_entry WHERE {_among('contact')}"
        " AND status IN ({}, {})"
        f" UNION SELECT contact FROM queue_entry WHERE {_among('contact')}"
        " AND appointment IS NULL AND status IN ({}, {})",
        _ids(ids), _ids(ids), *UNSETTLED, _ids(ids), CallbackRequest.OPEN,
        *([] if newer_than is None else [newer_than]),
        _ids(ids), WaitingEntry.VERIFYING, WaitingEntry.WAITING,
        _ids(ids), QueueEntry.WAITING, QueueEntry.CALLED,
    )  # fmt: skip
    taken = {r[0] for r in busy}
    free = [i for i in ids if i not in taken]
    if free:
        await fetch_tuples(
            "UPDATE message SET body = '', provider_id = NULL, contact = NULL"  # noqa: S608
            f" WHERE {_among('contact')}",
            _ids(free),
        )
        await fetch_tuples(
            f"UPDATE callback_request SET contact = NULL WHERE {_among('contact')}",  # noqa: S608
            _ids(free),
        )
        await fetch_tuples(
            "UPDATE migrant_contact SET phone = NULL, first_name = NULL"  # noqa: S608
            f" WHERE {_among('id')}",
            _ids(free),
        )
    return free


def _among(column: str) -> str:
    """``column`` is one of the ids given as one parameter (see ``_ids``)."""
    if is_sqlite():
        return f"{column} IN (SELECT value FROM json_each({{}}))"  # noqa: S608 (our column)
    # A semi-join: "= ANY(array)" is a linear search per row, which PostgreSQL chose to run
    # over every appointment not yet erased (half a first retention run went there).
    return f"{column} IN (SELECT unnest({{}}::bigint[]))"


def _ids(ids: list[int]) -> str | list[int]:
    """Ids as one parameter: a JSON array on SQLite, an array on PostgreSQL."""
    return json.dumps(ids) if is_sqlite() else ids


async def erase_on_request(catalog: Catalog, policy: Policy, token: str, *, now: datetime) -> None:
    """Everything held about the number behind a manage link, at its owner's request.

    The number's waiting-list entries end and its walk-in numbers go; appointments ahead
    are cancelled with the usual notices (the text, and CANCEL invites for a handover), all
    in one transaction with the erasure. The number itself is
    kept, marked for erasure, until those notices are sent (``finish_requests``).
    """
    async with write_transaction():
        row = await locked_appointment(token)
        contacts = await _same_number(row["contact"])
        await _leave_lists(contacts, now)
        rows = await Appointment.select(
            Appointment.id, Appointment.status, Appointment.starts_at, Appointment.held_until
        ).where(Appointment.contact.is_in(contacts or [0]) & Appointment.erased_at.is_null())
        for ahead in rows:
            if _cancellable(ahead, now):
                await changes.cancel_locked(
                    catalog, policy, await locked_appointment(ahead["id"]), now
                )
        await CallbackRequest.update({CallbackRequest.status: CallbackRequest.CANCELLED}).where(
            CallbackRequest.contact.is_in(contacts or [0])
            & (CallbackRequest.status == CallbackRequest.OPEN)
        )
        if contacts:
            await MigrantContact.update(
                {MigrantContact.first_name: None, MigrantContact.erase_requested_at: now}
            ).where(MigrantContact.id.is_in(contacts))
        await erase_appointments([row["id"], *(r["id"] for r in rows)], now)
        await erase_contacts(contacts, now, newer_than=None)


async def _leave_lists(contacts: list[int], now: datetime) -> None:
    """The number's waiting-list entries end (a live offer is withdrawn and the time it
    held freed) and its walk-in numbers not yet served are gone."""
    live = await WaitingEntry.select(WaitingEntry.id).where(
        WaitingEntry.contact.is_in(contacts or [0])
        & WaitingEntry.status.is_in([WaitingEntry.VERIFYING, WaitingEntry.WAITING])
    )
    for entry in live:
        await joining.end(entry["id"], WaitingEntry.LEFT, now)
    await QueueEntry.update({QueueEntry.status: QueueEntry.GONE}).where(
        QueueEntry.contact.is_in(contacts or [0])
        & QueueEntry.appointment.is_null()
        & QueueEntry.status.is_in([QueueEntry.WAITING, QueueEntry.CALLED])
    )


async def finish_requests(now: datetime, *, batch: int = 200) -> int:
    """Erases the numbers marked by ``erase_on_request`` once their notices are settled;
    returns how many it erased. Cheap when none is waiting (a partial index)."""
    erased, after = 0, 0
    while True:
        async with write_transaction():
            marked = [
                r["id"]
                for r in await MigrantContact.select(MigrantContact.id)
                .where(
                    MigrantContact.erase_requested_at.is_not_null()
                    & MigrantContact.phone.is_not_null()
                    & (MigrantContact.id > after)
                )
                .order_by(MigrantContact.id)
                .limit(batch)
            ]
            if not marked:
                return erased
            linked = await Appointment.select(Appointment.id).where(
                Appointment.contact.is_in(marked) & Appointment.erased_at.is_null()
            )
            await erase_appointments([r["id"] for r in linked], now)
            erased += len(await erase_contacts(marked, now, newer_than=None))
        after = marked[-1]


async def _same_number(contact_id: int | None) -> list[int]:
    """Every contact with the number of ``contact_id``: the person behind it, all of it."""
    if contact_id is None:
        return []
    row = (
        await MigrantContact.select(MigrantContact.phone)
        .where(MigrantContact.id == contact_id)
        .first()
    )
    if row is None or row["phone"] is None:
        return [contact_id]
    rows = await MigrantContact.select(MigrantContact.id).where(
        MigrantContact.phone == row["phone"]
    )
    return sorted({contact_id, *(r["id"] for r in rows)})


def _cancellable(row: dict, now: datetime) -> bool:
    """Ahead and still live: confirmed, or held while its code can still be entered."""
    if row["starts_at"] <= now:
        return False
    if row["status"] == Appointment.HELD:
        return row["held_until"] is not None and row["held_until"] > now
    return row["status"] == Appointment.CONFIRMED
