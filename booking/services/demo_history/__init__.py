"""The demo's history: a year of anonymous appointments, handovers, messages and call-backs
for the pilot region (``plan`` is pure and seeded, ``load`` writes it in bulk)."""

from booking.services.demo_history.load import load_history

__all__ = ["load_history"]
