"""The walk-in queue of a point's day and the kiosk links that add to it (issue 17)."""

from piccolo.columns import Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from booking.db.tables.appointments import Appointment, MigrantContact
from booking.db.tables.places import Point, Topic


class QueueEntry(Table):
    """A walk-in waiting at a point today; its number is unique per point and local day."""

    #: Called numbers end served; a number whose person went away ends gone.
    WAITING, CALLED, SERVED, GONE = "waiting", "called", "served", "gone"
    STATUSES = (WAITING, CALLED, SERVED, GONE)

    point = ForeignKey(Point, on_delete=OnDelete.restrict, null=False)
    local_date = Date(default=None)
    number = Integer()
    topic = ForeignKey(Topic, on_delete=OnDelete.restrict, null=False)
    language = Varchar(length=12)
    #: Only when a phone number was given: the "you are next" text goes to it.
    contact = ForeignKey(MigrantContact, on_delete=OnDelete.set_null, null=True, default=None)
    status = Varchar(length=10, default=WAITING)
    created_at = Timestamptz(default=None)
    #: When the "you are next" text was queued; it is sent once.
    notified_at = Timestamptz(null=True, default=None)
    called_at = Timestamptz(null=True, default=None)
    #: The desk that called the number, as the waiting-room screen shows it.
    desk = Varchar(length=40, default="")
    appointment = ForeignKey(Appointment, on_delete=OnDelete.set_null, null=True, default=None)


class KioskLink(Table):
    """A tablet at the door may add walk-ins to its point's queue without a login."""

    point = ForeignKey(Point, on_delete=OnDelete.cascade, null=False)
    #: SHA-256 of the link's token; the token itself is shown once and never stored.
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=None)
    created_by = Integer(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
