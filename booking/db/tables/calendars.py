"""Calendars both ways: the free/busy sources of interpreters and agency places, the busy
times read from them, and the counter-proposals invitees send from their calendar."""

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.db.tables.agencies import Agency
from booking.db.tables.appointments import Appointment
from booking.db.tables.handovers import InviteAttendee
from booking.db.tables.staff import StaffMember


class BusySource(Table):
    """Where an interpreter's or an agency place's own busy times are published.

    ``kind`` "ics": ``url`` is a published calendar (webcal/https); "caldav": ``url`` is a
    CalDAV calendar collection, read with ``username`` and ``password``. The poller keeps
    the last ETag and how the last poll went; a failing source is shown to coordinators and
    never blocks booking (its last good busy times stay until it answers again).
    """

    ICS, CALDAV = "ics", "caldav"
    KINDS = (ICS, CALDAV)

    staff = ForeignKey(StaffMember, on_delete=OnDelete.cascade, null=True, default=None)
    agency = ForeignKey(Agency, on_delete=OnDelete.cascade, null=True, default=None)
    #: The agency's place (1..capacity) whose busy times these are.
    place = SmallInt(null=True, default=None)
    #: "staff:<id>" or "agency:<id>:<place>", as in Allocation.resource.
    resource = Varchar(length=40)
    kind = Varchar(length=8)
    url = Varchar(length=500)
    username = Varchar(length=200, default="")
    #: Sealed (booking/sealing.py, services/calendars/sources.password_of); "" for none.
    password = Varchar(length=400, default="", secret=True)
    etag = Varchar(length=200, default="")
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    #: When it was last asked, and last answered with a calendar (or "not modified").
    polled_at = Timestamptz(null=True, default=None)
    ok_at = Timestamptz(null=True, default=None)
    #: Why the last poll failed ("timeout", "http 404", "not a calendar"...); "" when it worked.
    error = Varchar(length=120, default="")
    #: Busy intervals stored from the last good poll.
    intervals = Integer(default=0)


class ExternalBusy(Table):
    """One busy interval of a source: times only, never a title, place or attendee."""

    source = ForeignKey(BusySource, on_delete=OnDelete.cascade, null=False)
    resource = Varchar(length=40)
    starts_at = Timestamptz(default=None)
    ends_at = Timestamptz(default=None)


class InviteCounter(Table):
    """A counter-proposal (iTIP METHOD:COUNTER) from an invitee's calendar: another time."""

    appointment = ForeignKey(Appointment, on_delete=OnDelete.cascade, null=False)
    attendee = ForeignKey(InviteAttendee, on_delete=OnDelete.cascade, null=False)
    #: The SEQUENCE the proposal answers.
    sequence = Integer(default=0)
    starts_at = Timestamptz(default=None)
    ends_at = Timestamptz(default=None)
    #: The invitee's comment, plain text (shown to staff only; erased with the handover note).
    comment = Text(default="")
    received_at = Timestamptz(default=TimestamptzNow())
