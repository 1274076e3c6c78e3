"""Partner agencies that receive warm handovers, their topics and handover hours."""

from piccolo.columns import (
    Array,
    Boolean,
    Date,
    ForeignKey,
    SmallInt,
    Time,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from booking.db.tables.places import Region, Topic


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
    #: Meets only by video (no office to go to): a handover "at the agency" is refused.
    video_only = Boolean(default=False)
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
