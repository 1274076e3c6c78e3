"""The master data of a point as plain values: the point, its people, bus visits, topics.

Kept apart from the loading and caching in booking/services/point_setup.py, which builds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from booking.domain.opening_hours import WallHours, WeeklyPattern, zone
from booking.i18n import names_in


@dataclass(frozen=True, slots=True)
class PointInfo:
    id: int
    region_id: int
    slug: str
    name: str
    kind: str
    address: str
    city: str
    timezone: str
    description: Mapping[str, str]
    active: bool = True
    #: The name and directions per language (``name`` is the last fallback).
    names: Mapping[str, str] = field(default_factory=dict)
    directions: Mapping[str, str] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    def name_in(self, language: str) -> str:
        """The name a migrant reads: their language, English, Dutch, then the plain name."""
        return names_in(self.names, language, self.name)


@dataclass(frozen=True, slots=True)
class Person:
    """A consultant or interpreter who serves the point, with their weekly schedule there."""

    id: int
    name: str
    kind: str
    languages: frozenset[str]
    modes: frozenset[str]
    schedule: WeeklyPattern

    @property
    def resource(self) -> str:
        return staff_resource(self.id)


def staff_resource(staff_id: int) -> str:
    """The key under which the database forbids overlapping holds of one staff member."""
    return f"staff:{staff_id}"


@dataclass(frozen=True, slots=True)
class Visit:
    """Where the mobile point stands on a date, and when."""

    day: date
    hours: WallHours
    place: str
    address: str
    places: Mapping[str, str] = field(default_factory=dict)
    directions: Mapping[str, str] = field(default_factory=dict)

    def place_in(self, language: str) -> str:
        """The stop a migrant reads: their language, English, Dutch, then the plain name."""
        return names_in(self.places, language, self.place)


@dataclass(frozen=True, slots=True)
class TopicInfo:
    id: int
    slug: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    duration: timedelta
    position: int
    #: What to bring, per language.
    bring: Mapping[str, str] = field(default_factory=dict)
