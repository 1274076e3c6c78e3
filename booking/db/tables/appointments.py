"""The migrant's contact, appointments and the resources they hold."""

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInt,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.db.tables.agencies import Agency
from booking.db.tables.places import Point, Topic
from booking.db.tables.staff import StaffMember


class MigrantContact(Table):
    """The only personal data Loket holds: a phone number, a language, maybe a first name."""

    SMS, WHATSAPP = "sms", "whatsapp"
    TEXT_CHANNELS = (SMS, WHATSAPP)

    #: E.164, e.g. +48601234567; emptied when personal data is erased.
    phone = Varchar(length=16, null=True, default=None)
    language = Varchar(length=12)
    first_name = Varchar(length=50, null=True, default=None)
    #: How the person wants our texts: SMS or WhatsApp (booking/notify/whatsapp/).
    text_channel = Varchar(length=8, default=SMS)
    #: When this number last wrote to us on WhatsApp: free-form messages for 24 hours after.
    whatsapp_seen_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    #: The person asked to erase their data; the phone goes once no message waits for it
    #: (booking/services/erasure.py).
    erase_requested_at = Timestamptz(null=True, default=None)


class Appointment(Table):
    """A time interval at a point for one migrant and one topic; resources are Allocations."""

    HELD, CONFIRMED, CANCELLED = "held", "confirmed", "cancelled"
    ARRIVED, NO_SHOW, DONE = "arrived", "no_show", "done"
    STATUSES = (HELD, CONFIRMED, CANCELLED, ARRIVED, NO_SHOW, DONE)
    #: Statuses in which the appointment still holds its resources.
    LIVE_STATUSES = (HELD, CONFIRMED, ARRIVED, NO_SHOW, DONE)
    ONLINE, PHONE, WALK_IN, HANDOVER = "online", "phone", "walk_in", "handover"
    CHANNELS = (ONLINE, PHONE, WALK_IN, HANDOVER)

    point = ForeignKey(Point, on_delete=OnDelete.restrict, null=False)
    topic = ForeignKey(Topic, on_delete=OnDelete.restrict, null=False)
    contact = ForeignKey(MigrantContact, on_delete=OnDelete.restrict, null=True, default=None)
    language = Varchar(length=12)
    channel = Varchar(length=10)
    status = Varchar(length=10)
    starts_at = Timestamptz(default=None)
    ends_at = Timestamptz(default=None)
    #: A held appointment frees its slot at this instant unless confirmed first.
    held_until = Timestamptz(null=True, default=None)
    #: SHA-256 of the manage link's token; the token itself is never stored.
    manage_token_hash = Varchar(length=64, null=True, default=None, unique=True)
    #: With the secret key, re-derives the token for later messages (see services/views.py).
    manage_salt = Varchar(length=32, null=True, default=None)
    #: Bumped on every change that others must hear about (iCalendar SEQUENCE).
    sequence = Integer(default=0)
    #: HMAC of the 6-digit SMS code that confirms a held appointment; emptied on use.
    code_hash = Varchar(length=64, null=True, default=None)
    code_attempts = SmallInt(default=0)
    #: When the migrant answered a reminder with "1" (I will come).
    reply_confirmed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    #: When its personal data was erased (retention or request); the anonymous facts stay.
    erased_at = Timestamptz(null=True, default=None)
    #: What the reports group by, set with starts_at by every write (booking/reports/stamps.py):
    #: the start's local date, weekday (Monday 0) and hour in the point's zone, and the lead
    #: from booking to start in local days and in minutes.
    local_date = Date(null=True, default=None)
    local_weekday = SmallInt(null=True, default=None)
    local_hour = SmallInt(null=True, default=None)
    lead_days = Integer(null=True, default=None)
    lead_minutes = Integer(null=True, default=None)
    #: A walk-in served from the queue: minutes from joining it to being called (issue 17).
    waited_minutes = Integer(null=True, default=None)


class Allocation(Table):
    """A resource held by an appointment over [starts_at, ends_at), buffer included.

    The database refuses two live allocations of one ``resource`` that overlap: an
    exclusion constraint on PostgreSQL, a trigger on SQLite (see migrations/).
    """

    CONSULTANT, INTERPRETER, AGENCY = "consultant", "interpreter", "agency"
    ROLES = (CONSULTANT, INTERPRETER, AGENCY)

    appointment = ForeignKey(Appointment, on_delete=OnDelete.cascade, null=False)
    #: What may not be double-booked: "staff:<id>" or "agency:<id>:<place>".
    resource = Varchar(length=40)
    role = Varchar(length=12)
    staff = ForeignKey(StaffMember, on_delete=OnDelete.restrict, null=True, default=None)
    agency = ForeignKey(Agency, on_delete=OnDelete.restrict, null=True, default=None)
    starts_at = Timestamptz(default=None)
    ends_at = Timestamptz(default=None)
    live = Boolean(default=True)
    #: Copied from a held appointment: past this instant the hold no longer counts.
    expires_at = Timestamptz(null=True, default=None)
