"""Loket's tables. Instants are UTC ``timestamptz``; wall-clock times are local to the point.

Constraints Piccolo cannot express portably (no-overlap per resource, partial unique
indexes, triggers) live in raw SQL migrations; see migrations/.
"""

from piccolo.columns import (
    JSON,
    Array,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInt,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Region(Table):
    """A labour-market region (arbeidsmarktregio); points and staff belong to one."""

    code = Varchar(length=40, unique=True)
    name = Varchar(length=100)


class Point(Table):
    """Where help is given: an office, a bus, a telephone hour or a video desk."""

    PHYSICAL, MOBILE, PHONE, VIDEO = "physical", "mobile", "phone", "video"
    KINDS = (PHYSICAL, MOBILE, PHONE, VIDEO)

    region = ForeignKey(Region, on_delete=OnDelete.restrict, null=False)
    slug = Varchar(length=60, unique=True)
    name = Varchar(length=120)
    kind = Varchar(length=10)
    address = Varchar(length=200, default="")
    city = Varchar(length=80, default="")
    timezone = Varchar(length=64, default="Europe/Amsterdam")
    #: Text shown to migrants, per language code: {"nl": "...", "pl": "..."}.
    description = JSON(default={})
    #: Dutch public holidays close the point unless an exception opens it.
    closed_on_holidays = Boolean(default=True)
    active = Boolean(default=True)


class OpeningHours(Table):
    """One interval of a point's weekly pattern; a season is a valid_from/valid_to range."""

    point = ForeignKey(Point, on_delete=OnDelete.cascade, null=False)
    #: 0 is Monday, as in ``date.weekday()``.
    weekday = SmallInt()
    opens = Time(default=None)
    closes = Time(default=None)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)


class OpeningException(Table):
    """A dated deviation: the point is closed, opens other hours, or opens extra hours."""

    CLOSED, CHANGED, EXTRA = "closed", "changed", "extra"
    KINDS = (CLOSED, CHANGED, EXTRA)

    point = ForeignKey(Point, on_delete=OnDelete.cascade, null=False)
    day = Date(default=None)
    kind = Varchar(length=10)
    opens = Time(null=True, default=None)
    closes = Time(null=True, default=None)
    reason = Varchar(length=200, default="")


class MobileVisit(Table):
    """A date on which a mobile point (the bus) stands somewhere and takes appointments."""

    point = ForeignKey(Point, on_delete=OnDelete.cascade, null=False)
    day = Date(default=None)
    opens = Time(default=None)
    closes = Time(default=None)
    place = Varchar(length=120)
    address = Varchar(length=200, default="")


class Topic(Table):
    """Why someone comes; names and explanations are data, per language code."""

    slug = Varchar(length=40, unique=True)
    name = JSON(default={})
    description = JSON(default={})
    duration_minutes = Integer(default=30)
    position = Integer(default=0)
    active = Boolean(default=True)


class Agency(Table):
    """A partner organisation (ketenpartner) that receives warm handovers."""

    slug = Varchar(length=60, unique=True)
    name = Varchar(length=120)
    kind = Varchar(length=40, default="")
    #: Where invites go; more addresses in ``other_emails``.
    email = Varchar(length=254, default="")
    other_emails = Array(base_column=Varchar(length=254), default=list)
    address = Varchar(length=200, default="")
    region = ForeignKey(Region, on_delete=OnDelete.set_null, null=True, default=None)
    #: No handover hours: the consultant agrees a time by phone and enters it.
    by_arrangement = Boolean(default=False)
    active = Boolean(default=True)


class AgencyTopic(Table):
    """A topic an agency handles (unique per pair, by a raw index)."""

    agency = ForeignKey(Agency, on_delete=OnDelete.cascade, null=False)
    topic = ForeignKey(Topic, on_delete=OnDelete.cascade, null=False)


class AgencyHours(Table):
    """When an agency takes handovers, and how many at once, e.g. Tue 17:00-21:00, 2 at a time.

    Each of the ``capacity`` places is a resource of its own ("agency:<id>:<n>"), so the
    database's no-overlap guarantee counts capacity safely under concurrency.
    """

    agency = ForeignKey(Agency, on_delete=OnDelete.cascade, null=False)
    weekday = SmallInt()
    opens = Time(default=None)
    closes = Time(default=None)
    capacity = SmallInt(default=1)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)


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


class MigrantContact(Table):
    """The only personal data Loket holds: a phone number, a language, maybe a first name."""

    #: E.164, e.g. +48601234567; emptied when personal data is erased.
    phone = Varchar(length=16, null=True, default=None)
    language = Varchar(length=12)
    first_name = Varchar(length=50, null=True, default=None)
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


class Message(Table):
    """The outbox: every SMS or e-mail, written in the transaction of the change behind it.

    A dispatcher claims due rows and sends them (booking/notify/). The phone number is not
    copied here: an SMS names its recipient through ``contact``.
    """

    SMS, EMAIL = "sms", "email"
    CODE, CONFIRMATION, REMINDER, CHANGE, CANCELLATION, INVITE = (
        "code", "confirmation", "reminder", "change", "cancellation", "invite",
    )  # fmt: skip
    PENDING, SENDING, SENT, DELIVERED = "pending", "sending", "sent", "delivered"
    FAILED, UNDELIVERED, CANCELLED, SKIPPED = "failed", "undelivered", "cancelled", "skipped"

    channel = Varchar(length=8)
    kind = Varchar(length=16)
    appointment = ForeignKey(Appointment, on_delete=OnDelete.cascade, null=True, default=None)
    #: The appointment's ``sequence`` when queued; a changed appointment skips stale messages.
    appointment_sequence = Integer(null=True, default=None)
    contact = ForeignKey(MigrantContact, on_delete=OnDelete.set_null, null=True, default=None)
    #: An e-mail recipient (agency, interpreter); SMS recipients are contacts.
    email = Varchar(length=254, null=True, default=None)
    language = Varchar(length=12)
    #: Rendered text; emptied when personal data is erased.
    body = Text(default="")
    status = Varchar(length=12, default="pending")
    due_at = Timestamptz(default=TimestamptzNow())
    #: A claimed row belongs to one dispatcher until this instant.
    lease_until = Timestamptz(null=True, default=None)
    attempts = SmallInt(default=0)
    provider_id = Varchar(length=64, null=True, default=None)
    last_error = Varchar(length=300, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


class SmsOptOut(Table):
    """A number that answered STOP; stored as a keyed hash, checked before every send."""

    key_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())


class RateEvent(Table):
    """One counted action (a hold, a code) by a client address, kept an hour for limits.

    The address is stored only as a keyed hash.
    """

    HOLD, CODE = "hold", "code"

    kind = Varchar(length=8)
    key_hash = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())


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


class CalendarFeed(Table):
    """A subscription link to an agency's or an interpreter's upcoming handovers.

    Only the SHA-256 of the link's token is stored; revoking sets ``revoked_at``.
    """

    agency = ForeignKey(Agency, on_delete=OnDelete.cascade, null=True, default=None)
    staff = ForeignKey(StaffMember, on_delete=OnDelete.cascade, null=True, default=None)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


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


class CatalogRevision(Table):
    """One row whose ``revision`` triggers bump on any change to master data.

    Processes cache points, staff and topics keyed by this number, so a change made by any
    writer (a screen, the admin, psql) is seen by every process on its next request.
    """

    revision = Integer(default=0)
