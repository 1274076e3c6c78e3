"""Gauges read from the database at scrape time: the same on every target, however many
web and worker processes there are."""

from __future__ import annotations

from datetime import datetime

from piccolo.query.functions.aggregate import Count, Min
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from booking.db.tables import Message, WorkerHeartbeat
from booking.metrics.heartbeat import ALIVE_WITHIN

#: Messages not yet settled: waiting, or claimed by a dispatcher.
UNSETTLED = (Message.PENDING, Message.SENDING)
CHANNELS = (Message.SMS, Message.WHATSAPP, Message.EMAIL)


def _instant(value: datetime | str) -> datetime:
    """Aggregates come back as text on SQLite."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


async def read(now: datetime) -> list[GaugeMetricFamily]:
    """The outbox backlog, the age of the oldest due message, and the workers' heartbeats."""
    backlog = GaugeMetricFamily(
        "loket_outbox_messages",
        "Unsettled messages in the outbox by channel and status",
        labels=["channel", "status"],
    )
    counts = {(c, s): 0 for c in CHANNELS for s in UNSETTLED}
    rows = (
        await Message.select(Message.channel, Message.status, Count(alias="n"))
        .where(Message.status.is_in(list(UNSETTLED)))
        .group_by(Message.channel, Message.status)
    )
    counts.update({(r["channel"], r["status"]): r["n"] for r in rows})
    for (channel, status), n in sorted(counts.items()):
        backlog.add_metric([channel, status], n)

    oldest = GaugeMetricFamily(
        "loket_outbox_oldest_due_seconds",
        "How long the oldest due, unsent message has waited (0 when none)",
        labels=["channel"],
    )
    due = {c: 0.0 for c in CHANNELS}
    rows = (
        await Message.select(Message.channel, Min(Message.due_at, alias="oldest"))
        .where(Message.status.is_in(list(UNSETTLED)) & (Message.due_at <= now))
        .group_by(Message.channel)
    )
    for r in rows:
        if r["oldest"] is not None:
            due[r["channel"]] = max(0.0, (now - _instant(r["oldest"])).total_seconds())
    for channel, seconds in sorted(due.items()):
        oldest.add_metric([channel], seconds)

    age = GaugeMetricFamily(
        "loket_worker_heartbeat_age_seconds",
        "Seconds since each worker last said it was alive",
        labels=["worker", "kind"],
    )
    alive = GaugeMetricFamily("loket_workers_alive", "Workers that beat recently", labels=["kind"])
    beats = await WorkerHeartbeat.select(
        WorkerHeartbeat.name, WorkerHeartbeat.kind, WorkerHeartbeat.beat_at
    ).order_by(WorkerHeartbeat.name)
    living = {"worker": 0, "web": 0}
    for r in beats:
        seconds = max(0.0, (now - _instant(r["beat_at"])).total_seconds())
        age.add_metric([r["name"], r["kind"]], seconds)
        if seconds <= ALIVE_WITHIN.total_seconds():
            living[r["kind"]] = living.get(r["kind"], 0) + 1
    for kind, n in sorted(living.items()):
        alive.add_metric([kind], n)
    return [backlog, oldest, age, alive]


class Snapshot(Collector):
    """Families read beforehand (the database is async, collectors are not)."""

    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self):
        return iter(self.families)
