"""Warm handovers: the agency side of an appointment, invitees and calendar feeds."""

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.db.tables.agencies import Agency
from booking.db.tables.appointments import Appointment
from booking.db.tables.staff import StaffMember


class Handover(Table):
    """What makes an appointment a warm handover: the agency, the place, the interpreter's
    mode, and the note the migrant agreed to share with the agency."""

    AT_AGENCY, AT_POINT, BY_VIDEO = "agency", "point", "video"
    PLACES = (AT_AGENCY, AT_POINT, BY_VIDEO)
    TOOK_PLACE, MIGRANT_ABSENT, AGENCY_ABSENT, MOVED = (
        "took_place", "migrant_absent", "agency_absent", "moved",
    )  # fmt: skip
    OUTCOMES = (TOOK_PLACE, MIGRANT_ABSENT, AGENCY_ABSENT, MOVED)

    appointment = ForeignKey(Appointment, on_delete=OnDelete.cascade, null=False, unique=True)
    agency = ForeignKey(Agency, on_delete=OnDelete.restrict, null=False)
    #: The appointment at the information point that led to this handover, if any.
    origin = ForeignKey(Appointment, on_delete=OnDelete.set_null, null=True, default=None)
    place = Varchar(length=8)
    #: The language the interpreter interprets, and how they take part; None: no interpreter.
    interpreter_language = Varchar(length=12, null=True, default=None)
    interpreter_mode = Varchar(length=8, null=True, default=None)
    consultant_joins = Boolean(default=True)
    #: Shared with the agency with the migrant's consent; erased with the personal data.
    note = Text(default="")
    #: A video room name, for the video link in the invites.
    room = Varchar(length=40, default="")
    declined_at = Timestamptz(null=True, default=None)
    outcome = Varchar(length=16, null=True, default=None)
    outcome_at = Timestamptz(null=True, default=None)


class InviteAttendee(Table):
    """Who gets the invites of a handover, and how they answered (iTIP PARTSTAT)."""

    AGENCY, INTERPRETER, CONSULTANT = "agency", "interpreter", "consultant"
    NEEDS_ACTION, ACCEPTED, DECLINED = "NEEDS-ACTION", "ACCEPTED", "DECLINED"

    appointment = ForeignKey(Appointment, on_delete=OnDelete.cascade, null=False)
    role = Varchar(length=12)
    name = Varchar(length=120, default="")
    email = Varchar(length=254)
    staff = ForeignKey(StaffMember, on_delete=OnDelete.set_null, null=True, default=None)
    agency = ForeignKey(Agency, on_delete=OnDelete.set_null, null=True, default=None)
    partstat = Varchar(length=16, default="NEEDS-ACTION")
    #: False once swapped out (they got a CANCEL); the new attendee gets a REQUEST.
    active = Boolean(default=True)
    #: The SEQUENCE of their first invite: that one reads as an invitation, not a change.
    invited_sequence = Integer(default=0)


class CalendarFeed(Table):
    """A subscription link to an agency's or an interpreter's upcoming handovers.

    Only the SHA-256 of the link's token is stored; revoking sets ``revoked_at``.
    """

    agency = ForeignKey(Agency, on_delete=OnDelete.cascade, null=True, default=None)
    staff = ForeignKey(StaffMember, on_delete=OnDelete.cascade, null=True, default=None)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
