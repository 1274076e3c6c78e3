"""The JSON API's request and response shapes; limits here keep bad input out of the database."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from booking.web.bounds import Id

LanguageCode = Annotated[str, msgspec.Meta(min_length=2, max_length=12, pattern=r"^[A-Za-z_-]+$")]
Token = Annotated[str, msgspec.Meta(min_length=16, max_length=100)]


class Problem(msgspec.Struct):
    """Every error: a stable machine code and a message in the caller's language."""

    code: str
    message: str
    field: str | None = None


class WeeklyHoursOut(msgspec.Struct):
    weekday: int
    opens: str
    closes: str
    valid_from: date | None
    valid_to: date | None


class DatedHoursOut(msgspec.Struct):
    date: date
    kind: Literal["closed", "changed", "extra", "holiday", "visit"]
    opens: str | None = None
    closes: str | None = None
    note: str = ""


class RegionOut(msgspec.Struct):
    id: int
    code: str
    name: str


class PointOut(msgspec.Struct):
    id: int
    slug: str
    name: str
    kind: str
    region: RegionOut
    address: str
    city: str
    timezone: str
    description: str
    opening_hours: list[WeeklyHoursOut]
    #: Closed days, changed and extra hours, holidays and mobile visits ahead, by date.
    exceptions: list[DatedHoursOut]


class TopicOut(msgspec.Struct):
    id: int
    slug: str
    name: str
    description: str
    duration_minutes: int


class SlotOut(msgspec.Struct):
    start: datetime
    end: datetime
    interpreter: bool


class SlotsOut(msgspec.Struct):
    point: int
    topic: int
    language: str
    timezone: str
    slots: list[SlotOut]


class AppointmentIn(msgspec.Struct, forbid_unknown_fields=True):
    point: Id
    topic: Id
    language: LanguageCode
    #: With its UTC offset, e.g. 2026-12-01T18:30:00+01:00, as /api/slots returns it.
    start: datetime
    phone: Annotated[str, msgspec.Meta(min_length=3, max_length=32)]
    first_name: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    channel: Literal["online"] = "online"
    #: How the person wants our texts, the code included.
    text_channel: Literal["sms", "whatsapp"] = "sms"


class RescheduleIn(msgspec.Struct, forbid_unknown_fields=True):
    start: datetime


class VerifyIn(msgspec.Struct, forbid_unknown_fields=True):
    #: The 6-digit code from the text message.
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=12)]


class ResourceOut(msgspec.Struct):
    kind: str
    id: int
    name: str


class PlaceOut(msgspec.Struct):
    id: int
    name: str
    kind: str
    address: str
    city: str


class NamedOut(msgspec.Struct):
    id: int
    name: str


class AppointmentOut(msgspec.Struct):
    id: int
    status: str
    channel: str
    language: str
    point: PlaceOut
    topic: NamedOut
    start: datetime
    end: datetime
    timezone: str
    resources: list[ResourceOut]
    #: Until then a held appointment waits for its SMS code (POST .../verify).
    held_until: datetime | None = None
    manage_token: str | None = None
    manage_url: str | None = None
