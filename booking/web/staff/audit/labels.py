"""What the viewer calls each action, role and CSV column, in the reader's language."""

from __future__ import annotations

from booking.domain.errors import N_
from booking.i18n import gettext
from booking.services.audit import trail

ACTIONS = {
    trail.VIEWED_AGENDA: N_("Opened an agenda"),
    trail.VIEWED_APPOINTMENT: N_("Opened an appointment"),
    trail.VIEWED_CALLBACKS: N_("Opened the call-back requests"),
    trail.VIEWED_WAITLIST: N_("Opened the waiting list"),
    trail.VIEWED_MESSAGES: N_("Opened the text messages"),
    trail.BOOKED_FOR_CALLER: N_("Booked for a caller"),
    trail.CHANGED_STATUS: N_("Changed the status"),
    trail.CHANGED_TIME: N_("Moved the appointment"),
    trail.CANCELLED: N_("Cancelled the appointment"),
    trail.EXPORTED_SUBJECT_DATA: N_("Looked up the data held about a number"),
    trail.BOOKED_HANDOVER: N_("Booked a warm handover"),
    trail.VIEWED_HANDOVERS: N_("Opened the warm handovers"),
    trail.RECORDED_OUTCOME: N_("Recorded how a handover went"),
    trail.CREATED_FEED: N_("Made a calendar feed link"),
    trail.REVOKED_FEED: N_("Revoked a calendar feed link"),
    trail.ADDED_BUSY_SOURCE: N_("Connected a calendar"),
    trail.REMOVED_BUSY_SOURCE: N_("Disconnected a calendar"),
    trail.AUDIT_VIEWED: N_("Read the audit log"),
    trail.AUDIT_EXPORTED: N_("Downloaded the audit log"),
    trail.UNLOCKED_LOGIN: N_("Unlocked a login"),
    trail.RESET_FACTOR: N_("Reset a second factor"),
    trail.IMPORTED_REGION: N_("Imported a region from a spreadsheet"),
}
ROLES = {
    "consultant": N_("Consultant"),
    "coordinator": N_("Coordinator"),
    "admin": N_("Administrator (all regions)"),
}


def actions() -> dict[str, str]:
    return {code: gettext(text) for code, text in ACTIONS.items()}


def roles() -> dict[str, str]:
    return {code: gettext(text) for code, text in ROLES.items()}


def csv_header() -> tuple[str, ...]:
    """The export's columns (services/audit/export.py writes the rows in this order)."""
    return (
        gettext("When"),
        gettext("Login"),
        gettext("Name"),
        gettext("E-mail"),
        gettext("Role"),
        gettext("Action"),
        gettext("About"),
        gettext("Details"),
    )
