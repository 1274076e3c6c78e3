"""Messages staff must know about: the ones that could not be delivered (issue 4)."""

from __future__ import annotations

from collections.abc import Sequence

from booking.db.tables import Message

UNDELIVERED = [Message.FAILED, Message.UNDELIVERED]


def _in_points(point_ids: Sequence[int]):
    return Message.appointment.point.is_in(list(point_ids)) & Message.status.is_in(UNDELIVERED)


async def failed(point_ids: Sequence[int], limit: int = 200) -> list[dict]:
    """Undelivered messages of these points, newest first, without their text or number."""
    if not point_ids:
        return []
    return await (
        Message.select(
            Message.id,
            Message.appointment,
            Message.kind,
            Message.status,
            Message.attempts,
            Message.last_error,
            Message.created_at,
            Message.appointment.point.as_alias("point"),
        )
        .where(_in_points(point_ids))
        .order_by(Message.id, ascending=False)
        .limit(limit)
    )
