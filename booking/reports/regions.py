"""Regions side by side: each region's appointments, their evening or weekend share, the
no-show rate and the handovers, from one grouped count per region and status. Pure, and
suppressed like every other figure (figures.suppress and figures.Rate)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from booking.reports.figures import BOOKED_STATUSES, Cell, Rate, suppress

MARKED = ("arrived", "done", "no_show")


class RegionTally(NamedTuple):
    """A region's booked appointments of one status: ``count`` of them, ``off_hours`` in
    the evening or at the weekend, ``handovers`` warm handovers."""

    region_id: int
    status: str
    count: int
    off_hours: int
    handovers: int


@dataclass(frozen=True, slots=True)
class RegionRow:
    region_id: int
    #: Appointments that stand (booked and not cancelled).
    appointments: Cell
    evening_or_weekend: Rate
    no_shows: Rate
    #: Warm handovers that stand.
    handovers: Cell


@dataclass(frozen=True, slots=True)
class Comparison:
    rows: tuple[RegionRow, ...]
    #: Appointments and handovers over all regions, each as its column's total.
    appointments: Cell
    handovers: Cell


def compare(tallies: Iterable[RegionTally], region_ids: Iterable[int]) -> Comparison:
    """Every region of ``region_ids``, with 0 where nothing was booked. The appointments
    and the handovers are each a table with its total (a lone hidden region would
    otherwise be the total minus the rest); rows come in the appointments' order."""
    standing, off_hours, handovers = Counter(), Counter(), Counter()
    marked, no_shows = Counter(), Counter()
    ids = list(region_ids)
    for key in ids:
        standing[key] = handovers[key] = 0
    for t in tallies:
        if t.status in BOOKED_STATUSES:
            standing[t.region_id] += t.count
            off_hours[t.region_id] += t.off_hours
            handovers[t.region_id] += t.handovers
        if t.status in MARKED:
            marked[t.region_id] += t.count
            no_shows[t.region_id] += t.count if t.status == "no_show" else 0
    appointments, handed = suppress(standing), suppress(handovers)
    handover_cells = dict(handed.rows)
    rows = tuple(
        RegionRow(
            region_id=key,
            appointments=cell,
            evening_or_weekend=Rate(off_hours[key], standing[key]),
            no_shows=Rate(no_shows[key], marked[key]),
            handovers=handover_cells[key],
        )
        for key, cell in appointments.rows
    )
    return Comparison(rows, appointments.total, handed.total)
