"""Staff logins, their sessions, the append-only audit log, call-back requests."""

from piccolo.columns import (
    Boolean,
    ForeignKey,
    SmallInt,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.db.tables.appointments import MigrantContact
from booking.db.tables.places import Point, Region
from booking.db.tables.staff import StaffMember


class StaffAccount(Table):
    """A login. Consultants work in their region's points, coordinators keep their region's
    master data and read its reports, admins do everything."""

    CONSULTANT, COORDINATOR, ADMIN = "consultant", "coordinator", "admin"
    ROLES = (CONSULTANT, COORDINATOR, ADMIN)

    email = Varchar(length=254, unique=True)
    name = Varchar(length=100)
    #: argon2id; the password itself is never stored.
    password_hash = Varchar(length=200)
    role = Varchar(length=12)
    #: The region a consultant or coordinator works in; empty for admins.
    region = ForeignKey(Region, on_delete=OnDelete.restrict, null=True, default=None)
    #: The consultant or interpreter this login belongs to, if any.
    staff = ForeignKey(StaffMember, on_delete=OnDelete.set_null, null=True, default=None)
    #: The language of the back office for this person.
    language = Varchar(length=12, default="nl")
    failed_logins = SmallInt(default=0)
    locked_until = Timestamptz(null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class StaffSession(Table):
    """A logged-in browser or API client; only the SHA-256 of its token is stored."""

    token_hash = Varchar(length=64, unique=True)
    account = ForeignKey(StaffAccount, on_delete=OnDelete.cascade, null=False)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=None)
    last_seen_at = Timestamptz(default=TimestamptzNow())


class AuditEntry(Table):
    """Who looked at or did what with a migrant's data, when. Append-only: triggers refuse
    any UPDATE or DELETE. Holds references, never the personal data itself."""

    at = Timestamptz(default=TimestamptzNow())
    account = ForeignKey(StaffAccount, on_delete=OnDelete.restrict, null=False)
    action = Varchar(length=40)
    #: What it was about, e.g. "appointment:12" or "agenda:3:2026-12-01".
    subject = Varchar(length=80)
    #: How, where it helps: e.g. the filter of a look at the log itself (never a number).
    detail = Varchar(length=200, null=True, default=None)


class CallbackRequest(Table):
    """Someone on the voice line asked to be called back during the telephone hour."""

    OPEN, DONE, CANCELLED = "open", "done", "cancelled"

    point = ForeignKey(Point, on_delete=OnDelete.restrict, null=False)
    contact = ForeignKey(MigrantContact, on_delete=OnDelete.restrict, null=True, default=None)
    language = Varchar(length=12)
    status = Varchar(length=10, default="open")
    created_at = Timestamptz(default=TimestamptzNow())
    done_at = Timestamptz(null=True, default=None)
    done_by = ForeignKey(StaffAccount, on_delete=OnDelete.set_null, null=True, default=None)
