"""The waiting list: people waiting for a freed time, and the times offered to them."""

from piccolo.columns import ForeignKey, SmallInt, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.db.tables.appointments import Appointment, MigrantContact
from booking.db.tables.places import Point, Region, Topic


class WaitingEntry(Table):
    """One person on the list for a topic at a point (or any point of a region).

    ``joined_at`` orders the list: the longest-waiting person is offered a time first.
    """

    VERIFYING, WAITING, BOOKED, LEFT, EXPIRED = "verifying", "waiting", "booked", "left", "expired"
    STATUSES = (VERIFYING, WAITING, BOOKED, LEFT, EXPIRED)

    contact = ForeignKey(MigrantContact, on_delete=OnDelete.cascade, null=False)
    language = Varchar(length=12)
    topic = ForeignKey(Topic, on_delete=OnDelete.restrict, null=False)
    point = ForeignKey(Point, on_delete=OnDelete.restrict, null=True, default=None)
    region = ForeignKey(Region, on_delete=OnDelete.restrict, null=True, default=None)
    #: booking.domain.waitlist.Windows as text, e.g. "mo-fr 18:00-24:00; sa".
    windows = Varchar(length=200)
    status = Varchar(length=10)
    #: SHA-256 of the entry's link token (the code page, leaving the list).
    token_hash = Varchar(length=64, unique=True)
    #: HMAC of the SMS code that proves the phone number; emptied on use.
    code_hash = Varchar(length=64, null=True, default=None)
    code_attempts = SmallInt(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    #: When the phone number was proved: the place in the line.
    joined_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class WaitlistOffer(Table):
    """A freed time offered to one person, held for them by a held appointment.

    The database allows one live offer per person and one per time (point, start): partial
    unique indexes (migrations/booking_2027_01_08t01_00_01_000000.py).
    """

    LIVE, BOOKED, PASSED, WITHDRAWN = "live", "booked", "passed", "withdrawn"

    entry = ForeignKey(WaitingEntry, on_delete=OnDelete.cascade, null=False)
    appointment = ForeignKey(Appointment, on_delete=OnDelete.cascade, null=False)
    point = ForeignKey(Point, on_delete=OnDelete.restrict, null=False)
    starts_at = Timestamptz(default=None)
    status = Varchar(length=10)
    offered_at = Timestamptz(default=None)
    #: The hold ends at this instant unless the person books first.
    until = Timestamptz(default=None)
