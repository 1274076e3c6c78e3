"""The viewer's filters as a reader types them (a form, a query or a JSON body), checked
once for the page and the API alike and turned into the service's Filter; every mistake is
a message in the reader's language, never a 500."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from litestar.exceptions import PermissionDeniedException

from booking.domain.errors import N_, InvalidInput, InvalidPhone
from booking.domain.phone import mobile_e164
from booking.i18n import gettext
from booking.services.audit.search import Filter
from booking.services.auth.accounts import Account
from booking.services.reports import BadDate, ReversedPeriod
from booking.web.bounds import FIRST_YEAR, LAST_YEAR, MAX_ID
from booking.web.staff.admin.forms import OutOfRange

#: Every input the viewer reads; ``before`` is the keyset cursor of the next page.
FIELDS = ("staff", "appointment", "phone", "from", "to", "before")
PHONE_LENGTH = 40


class PhoneInAddress(InvalidInput):
    code = "phone_in_address"
    message = N_("Enter a phone number in the form or the request body, never in the address.")


def parse(raw: Mapping[str, str | None], phone_allowed: bool = True) -> tuple[Filter, int | None]:
    """The filter and the page's cursor.

    Args:
        phone_allowed: False for a query string: a number in an address ends up in
            browser histories and access logs.

    Raises:
        InvalidInput: a bad id, number or date, or a number where none may be.
    """
    text = {name: (raw.get(name) or "").strip() for name in FIELDS}
    labels = {
        "staff": gettext("Staff member"),
        "appointment": gettext("Appointment"),
        "phone": gettext("Mobile number"),
        "from": gettext("From"),
        "to": gettext("Until"),
        "before": gettext("Older entries"),
    }
    # Control characters never get here: booking/web/input_guard.py refuses them.
    if text["phone"] and not phone_allowed:
        raise PhoneInAddress("phone")
    first, last = _day(text["from"], "from"), _day(text["to"], "to")
    if first and last and last < first:
        raise ReversedPeriod("to")
    wanted = Filter(
        staff_id=_id(text["staff"], "staff", labels["staff"]),
        appointment_id=_id(text["appointment"], "appointment", labels["appointment"]),
        phone=_phone(text["phone"]),
        first=first,
        last=last,
    )
    return wanted, _id(text["before"], "before", labels["before"])


def region_scope(me: Account) -> int | None:
    """The region whose entries ``me`` reads; None for an admin (every region).

    Raises:
        PermissionDeniedException: a coordinator without a region, who must not fall
            through to "every region".
    """
    if me.is_admin:
        return None
    if me.region_id is None:
        raise PermissionDeniedException("no region")
    return me.region_id


def _id(value: str, field: str, label: str) -> int | None:
    if not value:
        return None
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) > 10
        or not 1 <= int(value) <= MAX_ID
    ):
        raise OutOfRange(field, label=label, low=1, high=MAX_ID)
    return int(value)


def _phone(value: str) -> str | None:
    if not value:
        return None
    if len(value) > PHONE_LENGTH:
        raise InvalidPhone("phone")
    return mobile_e164(value)


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadDate(field, example="2026-12-01") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadDate(field, example="2026-12-01")
    return day
