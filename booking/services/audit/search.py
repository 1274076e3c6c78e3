"""Reading the audit log back: who saw or changed what, when, newest first.

Pages go by id (keyset: "older than entry N"), never by OFFSET, so a page costs the same on
the first day and after years of entries, and entries written meanwhile shift nothing.
A phone number is never searched for in the log (it holds none): it leads to the
appointments of the contacts that have it, and to its keyed hash, the subject under which
subject access requests and looks at this log are written.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from piccolo.columns.combination import And, Or, Where
from piccolo.query import WhereRaw
from piccolo.query.methods.select import Select

from booking.db.tables import Appointment, AuditEntry, StaffAccount
from booking.db.transactions import is_sqlite
from booking.domain.opening_hours import zone
from booking.domain.policy import Policy
from booking.services.audit import trail

#: Dates in a filter are days in the Netherlands, where the log is read.
LOG_ZONE = "Europe/Amsterdam"
PAGE_SIZE = 50
#: Ids are 32-bit on PostgreSQL.
MAX_ID = 2_147_483_647
#: An entry about an appointment counts for the region of the appointment's point, whoever
#: wrote it (an admin's or another region's look at a migrant is what the coordinator must
#: be able to find); any other entry for the region of the account that wrote it. The id
#: is read from the subject, "appointment:12" or, for a status or an outcome,
#: "appointment:12:arrived" (letters, "_" and ":" trimmed off the end), and only an id of
#: digits is cast, so that no subject can make PostgreSQL fail the query.
ABOUT_REGION = (
    "CASE WHEN audit_entry.subject NOT LIKE 'appointment:%' THEN EXISTS (SELECT 1 FROM"
    " staff_account WHERE staff_account.id = audit_entry.account AND staff_account.region = {})"
    " WHEN SUBJECT_ID = '' OR RTRIM(SUBJECT_ID, '0123456789') <> ''"
    " OR LENGTH(SUBJECT_ID) > 18 THEN FALSE"
    " ELSE EXISTS (SELECT 1 FROM appointment JOIN point ON point.id = appointment.point"
    " WHERE appointment.id = CAST(SUBJECT_ID AS BIGINT) AND point.region = {}) END"
).replace("SUBJECT_ID", "RTRIM(SUBSTR(audit_entry.subject, 13), 'abcdefghijklmnopqrstuvwxyz_:')")


@dataclass(frozen=True, slots=True)
class Filter:
    """What the reader asks for; every part is optional and the parts narrow together.

    Attributes:
        phone: E.164; used for the lookup only, never written anywhere.
        first: the first local day; ``last`` the last one, both included.
    """

    staff_id: int | None = None
    appointment_id: int | None = None
    phone: str | None = None
    first: date | None = None
    last: date | None = None

    def detail(self, before: int | None = None) -> str:
        """The filter as the log records it: the number only as "phone" (its keyed hash
        is the entry's subject)."""
        parts = [
            f"staff={self.staff_id}" if self.staff_id else "",
            f"appointment={self.appointment_id}" if self.appointment_id else "",
            "phone" if self.phone else "",
            f"from={self.first}" if self.first else "",
            f"to={self.last}" if self.last else "",
            f"before={before}" if before else "",
        ]
        return " ".join(p for p in parts if p)

    def subject(self, policy: Policy) -> str:
        """Who a look at the log was about: the number's keyed hash, or nobody in particular."""
        return trail.subject_key(policy, self.phone) if self.phone else trail.AUDIT_LOG


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the log with the name and role of the account that wrote it."""

    id: int
    at: datetime
    account_id: int
    account_name: str
    account_email: str
    account_role: str
    action: str
    subject: str
    detail: str | None

    @property
    def appointment_id(self) -> int | None:
        """The appointment the entry is about, if it is about one."""
        if not self.subject.startswith(trail.APPOINTMENT):
            return None
        rest = self.subject.removeprefix(trail.APPOINTMENT).split(":")[0]
        usable = rest.isascii() and rest.isdigit() and len(rest) <= 10
        return int(rest) if usable and int(rest) <= MAX_ID else None


@dataclass(frozen=True, slots=True)
class Page:
    """Entries newest first; ``older`` is the id to ask the next page ``before``, if any."""

    entries: list[Entry]
    older: int | None


async def look(
    policy: Policy,
    wanted: Filter,
    region_id: int | None,
    *,
    account_id: int,
    now: datetime,
    before: int | None = None,
) -> Page:
    """A page for a reader (see ``page``); the look itself goes into the log, with the
    filter and, for a number, its keyed hash."""
    found = await page(policy, wanted, region_id, before)
    detail = wanted.detail(before)
    await trail.record(account_id, trail.AUDIT_VIEWED, wanted.subject(policy), now, detail)
    return found


async def page(
    policy: Policy,
    wanted: Filter,
    region_id: int | None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the entries ``wanted`` asks for.

    Args:
        region_id: a coordinator's region: entries written by its accounts, and when about
            an appointment, about one of its points; None for every entry (admins).
        before: only entries older than this id (the previous page's ``older``).
    """
    query = await _query(policy, wanted, region_id)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = await query.order_by(AuditEntry.id, ascending=False).limit(size + 1)
    entries = [_entry(row) for row in rows[:size]]
    return Page(entries, entries[-1].id if len(rows) > size else None)


async def every_entry(
    policy: Policy,
    wanted: Filter,
    region_id: int | None,
    before: int | None = None,
    batch: int = 500,
) -> AsyncIterator[Entry]:
    """All the entries ``wanted`` asks for (older than ``before``, if given), newest first,
    read a page at a time."""
    while True:
        found = await page(policy, wanted, region_id, before, batch)
        for entry in found.entries:
            yield entry
        if found.older is None:
            return
        before = found.older


async def staff_accounts(region_id: int | None) -> list[tuple[int, str]]:
    """The logins whose entries a reader may filter by: (id, name), by name."""
    query = StaffAccount.select(StaffAccount.id, StaffAccount.name, StaffAccount.email)
    if region_id is not None:
        query = query.where(StaffAccount.region == region_id)
    rows = await query.order_by(StaffAccount.name).order_by(StaffAccount.id)
    return [(r["id"], f"{r['name']} ({r['email']})") for r in rows]


async def _query(policy: Policy, wanted: Filter, region_id: int | None) -> Select:
    """The filtered select, scoped to the region."""
    query = AuditEntry.select(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.action,
        AuditEntry.subject,
        AuditEntry.detail,
        AuditEntry.account.id.as_alias("account_id"),
        AuditEntry.account.name.as_alias("account_name"),
        AuditEntry.account.email.as_alias("account_email"),
        AuditEntry.account.role.as_alias("account_role"),
    )
    if region_id is not None:
        query = query.where(WhereRaw(ABOUT_REGION, region_id, region_id))
    if wanted.staff_id is not None:
        query = query.where(AuditEntry.account == wanted.staff_id)
    if wanted.appointment_id is not None:
        query = query.where(_about_appointments([wanted.appointment_id]))
    if wanted.phone is not None:
        query = query.where(await _about_number(policy, wanted.phone))
    if wanted.first is not None:
        query = query.where(AuditEntry.at >= _midnight(wanted.first))
    if wanted.last is not None:
        query = query.where(AuditEntry.at < _midnight(wanted.last + timedelta(days=1)))
    return query


async def _about_number(policy: Policy, phone: str) -> Where | Or:
    """Entries about an appointment of a contact with this number, or under its keyed hash.
    A contact whose number was erased is no longer found: nothing links it to the number."""
    rows = await Appointment.select(Appointment.id).where(Appointment.contact.phone == phone)
    return _about_appointments([r["id"] for r in rows], trail.subject_key(policy, phone))


def _about_appointments(ids: list[int], *subjects: str) -> Where | Or:
    """Entries about these appointments ("appointment:12", "appointment:12:arrived") or
    with one of ``subjects``, each part served by the subject index."""
    named = [trail.appointment_subject(i) for i in ids]
    found: Where | Or = AuditEntry.subject.is_in([*named, *subjects])
    for subject in named:
        found = found | _starting(f"{subject}:")
    return found


def _starting(prefix: str) -> Where | And:
    """Subjects that start with ``prefix`` (which ends in ":"). PostgreSQL's index has a
    pattern operator class for LIKE; SQLite's LIKE ignores case and skips a plain index,
    but its byte order makes a range exact: ":" is followed by ";"."""
    if is_sqlite():
        return (AuditEntry.subject > prefix) & (AuditEntry.subject < prefix[:-1] + ";")
    return AuditEntry.subject.like(prefix + "%")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), zone(LOG_ZONE))


def _entry(row: dict) -> Entry:
    return Entry(
        id=row["id"],
        at=row["at"],
        account_id=row["account_id"],
        account_name=row["account_name"],
        account_email=row["account_email"],
        account_role=row["account_role"],
        action=row["action"],
        subject=row["subject"],
        detail=row["detail"],
    )
