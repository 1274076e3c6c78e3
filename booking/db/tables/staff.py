"""Consultants and interpreters: languages, points served, schedules, absences."""

from piccolo.columns import (
    Array,
    Boolean,
    Date,
    ForeignKey,
    SmallInt,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from booking.db.tables.places import Point, Region


class StaffMember(Table):
    """A consultant or an interpreter; languages are BCP 47 codes such as ``pl``."""

    CONSULTANT, INTERPRETER = "consultant", "interpreter"
    KINDS = (CONSULTANT, INTERPRETER)
    ON_SITE, BY_PHONE, BY_VIDEO = "on_site", "phone", "video"
    INTERPRETER_MODES = (ON_SITE, BY_PHONE, BY_VIDEO)

    name = Varchar(length=100)
    kind = Varchar(length=12)
    region = ForeignKey(Region, on_delete=OnDelete.set_null, null=True, default=None)
    languages = Array(base_column=Varchar(length=12), default=list)
    interpreter_modes = Array(base_column=Varchar(length=8), default=list)
    #: Where calendar invites for handovers go.
    email = Varchar(length=254, default="")
    active = Boolean(default=True)


class StaffPoint(Table):
    """A point a staff member serves (unique per pair, by a raw index)."""

    staff = ForeignKey(StaffMember, on_delete=OnDelete.cascade, null=False)
    point = ForeignKey(Point, on_delete=OnDelete.cascade, null=False)


class StaffSchedule(Table):
    """One interval of a staff member's weekly working pattern at a point.

    An interpreter who works by phone or video may have ``point`` empty: any point.
    """

    staff = ForeignKey(StaffMember, on_delete=OnDelete.cascade, null=False)
    point = ForeignKey(Point, on_delete=OnDelete.cascade, null=True, default=None)
    weekday = SmallInt()
    starts = Time(default=None)
    ends = Time(default=None)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)


class StaffAbsence(Table):
    """Leave or sickness: the staff member is not bookable in [starts_at, ends_at)."""

    staff = ForeignKey(StaffMember, on_delete=OnDelete.cascade, null=False)
    starts_at = Timestamptz(default=None)
    ends_at = Timestamptz(default=None)
    reason = Varchar(length=100, default="")
