"""Where help is given and why people come: regions, points, hours, visits, topics."""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInt,
    Time,
    Varchar,
)
from piccolo.columns.base import OnDelete
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
    #: The name staff and agencies know (usually Dutch); migrants read ``name_i18n``.
    name = Varchar(length=120)
    #: The name per language code; ``names_in(name_i18n, language, name)`` shows it.
    name_i18n = JSON(default={})
    kind = Varchar(length=10)
    address = Varchar(length=200, default="")
    city = Varchar(length=80, default="")
    timezone = Varchar(length=64, default="Europe/Amsterdam")
    #: Text shown to migrants, per language code: {"nl": "...", "pl": "..."}.
    description = JSON(default={})
    #: How to find the door, per language code.
    directions = JSON(default={})
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
    #: The stop as staff know it; migrants read ``place_i18n`` (with ``place`` as last resort).
    place = Varchar(length=120)
    place_i18n = JSON(default={})
    address = Varchar(length=200, default="")
    #: Where exactly the bus stands, per language code.
    directions = JSON(default={})


class Topic(Table):
    """Why someone comes; names and explanations are data, per language code."""

    slug = Varchar(length=40, unique=True)
    name = JSON(default={})
    description = JSON(default={})
    #: What to bring (papers, payslips), per language code.
    bring = JSON(default={})
    duration_minutes = Integer(default=30)
    position = Integer(default=0)
    active = Boolean(default=True)


class CatalogRevision(Table):
    """One row whose ``revision`` triggers bump on any change to master data.

    Processes cache points, staff and topics keyed by this number, so a change made by any
    writer (a screen, the admin, psql) is seen by every process on its next request.
    """

    revision = Integer(default=0)
