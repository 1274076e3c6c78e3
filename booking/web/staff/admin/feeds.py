"""Calendar subscription links on the agency and interpreter screens: make one (its address
is shown once, since only its hash is kept), list them, revoke one."""

from __future__ import annotations

from datetime import datetime

from booking.domain.errors import NotFound
from booking.domain.opening_hours import zone
from booking.domain.policy import Policy
from booking.i18n import format_instant, gettext
from booking.services import feeds
from booking.services.audit import trail
from booking.services.auth.accounts import Account
from booking.web.staff.admin.forms import Form, Row, Section, no_values

#: Feed links are listed on this wall clock (the region's points all use it).
FEED_ZONE = "Europe/Amsterdam"


async def feed_section(
    base: str, *, agency_id: int | None = None, staff_id: int | None = None
) -> Section:
    """The links of one agency or interpreter, each revocable, and a button for a new one."""
    tz = zone(FEED_ZONE)
    rows = [
        Row(
            [
                format_instant(f.created_at, tz),
                gettext("revoked on %(when)s", when=format_instant(f.revoked_at, tz))
                if f.revoked_at
                else gettext("active"),
            ],
            action=None if f.revoked_at else (f"{base}/feeds/{f.id}/revoke", gettext("Revoke")),
        )
        for f in await feeds.listed(agency_id=agency_id, staff_id=staff_id)
    ]
    return Section(
        gettext("Calendar subscription links"),
        [gettext("Created"), gettext("Status")],
        rows,
        gettext("No subscription links yet."),
        Form(f"{base}/feeds", (), no_values(), gettext("Create subscription link")),
    )


def _subject(feed_id: int, agency_id: int | None, staff_id: int | None) -> str:
    """As the feed API writes it: which link, of whom."""
    if agency_id is not None:
        return f"feed:{feed_id}:{feeds.AGENCY}:{agency_id}"
    return f"feed:{feed_id}:{feeds.INTERPRETER}:{staff_id}"


async def create_link(
    me: Account,
    policy: Policy,
    now: datetime,
    *,
    agency_id: int | None = None,
    staff_id: int | None = None,
) -> str:
    """A new link's address; the caller shows it once, nothing keeps it."""
    feed_id, token = await feeds.create(agency_id=agency_id, staff_id=staff_id, now=now)
    await trail.record(me.id, trail.CREATED_FEED, _subject(feed_id, agency_id, staff_id), now)
    kind = feeds.AGENCY if agency_id is not None else feeds.INTERPRETER
    return feeds.feed_url(policy, kind, token)


async def revoke_link(
    me: Account,
    feed_id: int,
    now: datetime,
    *,
    agency_id: int | None = None,
    staff_id: int | None = None,
) -> None:
    """Revokes one of this agency's or interpreter's links; another's is not found."""
    mine = await feeds.listed(agency_id=agency_id, staff_id=staff_id)
    if not any(f.id == feed_id for f in mine):
        raise NotFound("feed")
    await feeds.revoke(feed_id, now)
    await trail.record(me.id, trail.REVOKED_FEED, _subject(feed_id, agency_id, staff_id), now)
