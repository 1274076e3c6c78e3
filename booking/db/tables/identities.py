"""Single sign-on identities: which identity provider's subject is which staff login."""

from piccolo.columns import ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.db.tables.accounts import StaffAccount


class StaffIdentity(Table):
    """An OpenID Connect login of a staff account. (issuer, subject) is unique (a raw index
    in the migration): the subject is the provider's stable id, never the e-mail address,
    which a provider may reassign. Holds no claims beyond these two."""

    #: The ``iss`` of the ID token, exactly as the provider names itself.
    issuer = Varchar(length=255)
    #: The ``sub`` of the ID token.
    subject = Varchar(length=255)
    account = ForeignKey(StaffAccount, on_delete=OnDelete.cascade, null=False)
    created_at = Timestamptz(default=TimestamptzNow())
    last_sign_in_at = Timestamptz(default=TimestamptzNow())
