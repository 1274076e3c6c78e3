"""Offers of freed times: made by the worker's round, booked or let pass from the link.

Design (README, "Waiting list"): the worker looks every minute for free times that suit
people on the list, rather than every change point announcing what it freed. One scan
catches every way a time frees (a cancellation, a move, an expired hold, new opening hours
or staff) and a missed round is caught by the next. An offer is a held appointment, made
through the same race-free hold as any booking: the database refuses a double hold, and
partial unique indexes allow one live offer per person and one per time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta

from booking.db.rows import insert_returning_id
from booking.db.tables import Appointment, WaitingEntry, WaitlistOffer
from booking.db.transactions import is_sqlite, is_unique_violation, write_transaction
from booking.domain.errors import AppointmentNotFound, LoketError, OfferEnded
from booking.domain.policy import Policy
from booking.domain.waitlist import Opening, Waiter, Windows, assign
from booking.notify import opt_out
from booking.services import appointments, notices, verification
from booking.services.appointments import BookingRequest
from booking.services.point_setup import Catalog, current_revision
from booking.services.slots import search_slots
from booking.services.views import AppointmentView, locked_appointment, token_hash, view
from booking.services.waitlist import joining


class _NotWaiting(Exception):
    """The entry stopped waiting between the round's read and its offer: no offer."""


#: Searches one round may repeat after an offer failed (the next round goes on).
MAX_PASSES = 8


async def offer_round(catalog: Catalog, policy: Policy, *, now: datetime) -> int:
    """Ends passed offers and expired entries, then offers free times down the line;
    returns how many offers it made. Safe to run in several workers at once.

    The pure matching cannot know which free times one hold takes away (that depends on
    who serves them), so when an offer fails, the rest of the line is matched again on a
    fresh search: nobody gets a time that someone before them could still have had.
    """
    await close_ended(now)
    made = 0
    for _ in range(MAX_PASSES):
        rows = await _waiting(policy, now)
        if not rows:
            break
        waiters = await _waiters(rows)
        openings = await _openings(catalog, policy, waiters, now)
        matched = assign(
            waiters,
            openings,
            now=now,
            notice=policy.rules.min_notice + policy.offer,
            quiet=policy.quiet,
        )
        failed = False
        for waiter, opening in matched:
            if not await _offer(catalog, policy, rows[waiter.entry_id], opening, now):
                failed = True
                break
            made += 1
        if not failed:
            break
    return made


async def close_ended(now: datetime) -> None:
    """Offers whose time is up pass (their hold ends, so the next round can offer the time
    to the next person); entries past their weeks expire. Each offer is closed under its
    held appointment's lock, like a booking from it, so the two never both win."""
    ended = await WaitlistOffer.select(WaitlistOffer.id, WaitlistOffer.appointment).where(
        (WaitlistOffer.status == WaitlistOffer.LIVE) & (WaitlistOffer.until <= now)
    )
    for offer in ended:
        async with write_transaction():
            await locked_appointment(offer["appointment"])
            closed = (
                await WaitlistOffer.update({WaitlistOffer.status: WaitlistOffer.PASSED})
                .where(
                    (WaitlistOffer.id == offer["id"]) & (WaitlistOffer.status == WaitlistOffer.LIVE)
                )
                .returning(WaitlistOffer.id)
            )
            if closed:
                await verification.end_hold(offer["appointment"], now)
    expired = await WaitingEntry.select(WaitingEntry.id).where(
        WaitingEntry.status.is_in([WaitingEntry.VERIFYING, WaitingEntry.WAITING])
        & (WaitingEntry.expires_at <= now)
    )
    for entry in expired:
        async with write_transaction():
            await joining.end(entry["id"], WaitingEntry.EXPIRED, now)


async def _waiting(policy: Policy, now: datetime) -> dict[int, dict]:
    """People in the line without a live offer, by entry id; those who answered STOP (or
    whose number is erased) leave the list here."""
    rows = await WaitingEntry.select(
        WaitingEntry.all_columns(), WaitingEntry.contact.phone.as_alias("phone")
    ).where((WaitingEntry.status == WaitingEntry.WAITING) & (WaitingEntry.expires_at > now))
    if not rows:
        return {}
    busy = await WaitlistOffer.select(WaitlistOffer.entry).where(
        (WaitlistOffer.status == WaitlistOffer.LIVE)
        & WaitlistOffer.entry.is_in([r["id"] for r in rows])
    )
    with_offer = {b["entry"] for b in busy}
    stopped = await opt_out.stopped(policy, {r["phone"] for r in rows if r["phone"]})
    gone = [r for r in rows if not r["phone"] or r["phone"] in stopped]
    if gone:
        async with write_transaction():
            for row in gone:
                await joining.end(row["id"], WaitingEntry.LEFT, now)
    left = {r["id"] for r in gone} | with_offer
    return {r["id"]: r for r in rows if r["id"] not in left}


async def _waiters(rows: Mapping[int, dict]) -> list[Waiter]:
    seen: dict[int, set[tuple[int, datetime]]] = defaultdict(set)
    for offer in await WaitlistOffer.select(
        WaitlistOffer.entry, WaitlistOffer.point, WaitlistOffer.starts_at
    ).where(WaitlistOffer.entry.is_in(list(rows))):
        seen[offer["entry"]].add((offer["point"], offer["starts_at"]))
    return [
        Waiter(
            entry_id=row["id"],
            joined_at=row["joined_at"],
            point_ids=await joining.point_ids(row),
            topic_id=row["topic"],
            language=row["language"],
            windows=Windows.parse(row["windows"]),
            expires_at=row["expires_at"],
            seen=frozenset(seen[row["id"]]),
        )
        for row in rows.values()
    ]


async def _openings(
    catalog: Catalog, policy: Policy, waiters: list[Waiter], now: datetime
) -> list[Opening]:
    """Free times of every (point, topic, language) someone waits for, up to the last day
    anyone of them waits; points in their quiet hours are not searched."""
    infos = await catalog.point_infos(await current_revision())
    wanted: dict[tuple[int, int, str], datetime] = {}
    for w in waiters:
        for point_id in w.point_ids:
            key = (point_id, w.topic_id, w.language)
            wanted[key] = max(wanted.get(key, w.expires_at), w.expires_at)
    found: list[Opening] = []
    for (point_id, topic_id, language), until in wanted.items():
        info = infos.get(point_id)
        if info is None or not info.active or policy.quiet.contains(now, info.tz):
            continue
        try:
            _, slots = await search_slots(
                catalog,
                policy,
                point_id=point_id,
                topic_id=topic_id,
                language=language,
                first=now.astimezone(info.tz).date(),
                last=min(until, now + timedelta(days=policy.horizon_days))
                .astimezone(info.tz)
                .date(),
                now=now,
            )
        except LoketError:
            continue
        found += [Opening(point_id, topic_id, language, s.start, s.end, info.tz) for s in slots]
    return found


async def _offer(
    catalog: Catalog, policy: Policy, entry: Mapping, opening: Opening, now: datetime
) -> int:
    """Holds ``opening`` for the entry and texts the offer, all in one transaction; 0 when
    the time was taken or the entry stopped waiting in the meantime."""
    until = now + policy.offer

    async def then(appointment_id: int, contact_id: int, language: str) -> None:
        query = WaitingEntry.select(WaitingEntry.status).where(WaitingEntry.id == entry["id"])
        if not is_sqlite():
            query = query.lock_rows("UPDATE")
        current = await query.first()
        if current is None or current["status"] != WaitingEntry.WAITING:
            raise _NotWaiting
        await insert_returning_id(
            WaitlistOffer,
            [
                {
                    "entry": entry["id"],
                    "appointment": appointment_id,
                    "point": opening.point_id,
                    "starts_at": opening.start,
                    "status": WaitlistOffer.LIVE,
                    "offered_at": now,
                    "until": until,
                }
            ],
        )
        await notices.offered(catalog, policy, appointment_id, now)

    request = BookingRequest(
        opening.point_id, opening.topic_id, entry["language"], opening.start, None
    )
    try:
        await appointments.hold_for_offer(
            catalog, policy, request, entry["contact"], until, now=now, then=then
        )
    except (LoketError, _NotWaiting):
        return 0
    except Exception as error:
        if is_unique_violation(error):
            return 0
        raise
    return 1


async def _locked_offer(token: str) -> tuple[Mapping, dict]:
    row = await locked_appointment(token)
    offer = await WaitlistOffer.select().where(WaitlistOffer.appointment == row["id"]).first()
    if offer is None:
        raise AppointmentNotFound("token")
    return row, offer


async def book(catalog: Catalog, policy: Policy, token: str, *, now: datetime) -> AppointmentView:
    """The one tap: the held time becomes a confirmed appointment; harmless twice.

    Raises:
        AppointmentNotFound: no offer has this link.
        OfferEnded: the offer passed, was withdrawn, or its time is up.
    """
    async with write_transaction():
        row, offer = await _locked_offer(token)
        if offer["status"] == WaitlistOffer.BOOKED:
            return await view(catalog, row)
        if offer["status"] != WaitlistOffer.LIVE or row["status"] != Appointment.HELD:
            raise OfferEnded("offer")
        if row["held_until"] is None or row["held_until"] <= now:
            await _close(offer, WaitlistOffer.PASSED, now)
            ended = True
        else:
            ended = False
            await verification.confirm(row["id"], now)
            await WaitlistOffer.update({WaitlistOffer.status: WaitlistOffer.BOOKED}).where(
                WaitlistOffer.id == offer["id"]
            )
            await WaitingEntry.update(
                {WaitingEntry.status: WaitingEntry.BOOKED, WaitingEntry.updated_at: now}
            ).where(WaitingEntry.id == offer["entry"])
            await notices.confirmed(catalog, policy, row["id"], now)
    if ended:
        raise OfferEnded("offer")
    return await view(catalog, {**row, "status": Appointment.CONFIRMED, "held_until": None})


async def let_pass(token: str, *, now: datetime) -> None:
    """Not this time: the hold ends and the next round offers it to the next person; the
    entry keeps its place for other times. Harmless twice."""
    async with write_transaction():
        _, offer = await _locked_offer(token)
        if offer["status"] == WaitlistOffer.LIVE:
            await _close(offer, WaitlistOffer.PASSED, now)


async def leave(token: str, *, now: datetime) -> None:
    """Leaves the waiting list from an offer's link (the live offer ends with it)."""
    async with write_transaction():
        _, offer = await _locked_offer(token)
        await joining.end(offer["entry"], WaitingEntry.LEFT, now)


async def _close(offer: Mapping, status: str, now: datetime) -> None:
    await WaitlistOffer.update({WaitlistOffer.status: status}).where(
        WaitlistOffer.id == offer["id"]
    )
    await verification.end_hold(offer["appointment"], now)


async def offer_view(catalog: Catalog, token: str) -> tuple[AppointmentView, str, datetime]:
    """What the offer page shows: the time, the offer's status, and until when it is kept."""
    row = await (
        Appointment.select().where(Appointment.manage_token_hash == token_hash(token)).first()
    )
    if row is None:
        raise AppointmentNotFound("token")
    offer = await WaitlistOffer.select().where(WaitlistOffer.appointment == row["id"]).first()
    if offer is None:
        raise AppointmentNotFound("token")
    return await view(catalog, row), offer["status"], offer["until"]
