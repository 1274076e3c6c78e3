"""Loket's tables. Instants are UTC ``timestamptz``; wall-clock times are local to the point.

Constraints Piccolo cannot express portably (no-overlap per resource, partial unique
indexes, triggers) live in raw SQL migrations; see migrations/.

One module per concern; everything is importable from here.
"""

from booking.db.tables.accounts import (
    AuditEntry,
    CallbackRequest,
    RecoveryCode,
    StaffAccount,
    StaffSession,
)
from booking.db.tables.agencies import Agency, AgencyHours, AgencyTopic
from booking.db.tables.appointments import Allocation, Appointment, MigrantContact
from booking.db.tables.calendars import BusySource, ExternalBusy, InviteCounter
from booking.db.tables.handovers import CalendarFeed, Handover, InviteAttendee
from booking.db.tables.identities import StaffIdentity
from booking.db.tables.messages import Message, RateEvent, SmsOptOut
from booking.db.tables.operations import WorkerHeartbeat
from booking.db.tables.places import (
    CatalogRevision,
    MobileVisit,
    OpeningException,
    OpeningHours,
    Point,
    Region,
    Topic,
)
from booking.db.tables.queue import KioskLink, QueueEntry
from booking.db.tables.staff import StaffAbsence, StaffMember, StaffPoint, StaffSchedule
from booking.db.tables.waitlist import WaitingEntry, WaitlistOffer

MODULES = (
    "booking.db.tables.places",
    "booking.db.tables.agencies",
    "booking.db.tables.staff",
    "booking.db.tables.appointments",
    "booking.db.tables.messages",
    "booking.db.tables.handovers",
    "booking.db.tables.accounts",
    "booking.db.tables.identities",
    "booking.db.tables.calendars",
    "booking.db.tables.operations",
    "booking.db.tables.queue",
    "booking.db.tables.waitlist",
)

__all__ = [
    "Agency",
    "AgencyHours",
    "AgencyTopic",
    "Allocation",
    "Appointment",
    "AuditEntry",
    "BusySource",
    "CalendarFeed",
    "CallbackRequest",
    "CatalogRevision",
    "ExternalBusy",
    "Handover",
    "InviteAttendee",
    "InviteCounter",
    "KioskLink",
    "Message",
    "MigrantContact",
    "MobileVisit",
    "OpeningException",
    "OpeningHours",
    "Point",
    "QueueEntry",
    "RateEvent",
    "RecoveryCode",
    "Region",
    "SmsOptOut",
    "StaffAbsence",
    "StaffAccount",
    "StaffIdentity",
    "StaffMember",
    "StaffPoint",
    "StaffSchedule",
    "StaffSession",
    "Topic",
    "WaitingEntry",
    "WaitlistOffer",
    "WorkerHeartbeat",
]
