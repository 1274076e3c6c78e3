"""The outbox and what guards it: opt-outs and per-address rate events."""

from piccolo.columns import (
    ForeignKey,
    Integer,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.db.tables.appointments import Appointment, MigrantContact


class Message(Table):
    """The outbox: every SMS or e-mail, written in the transaction of the change behind it.

    A dispatcher claims due rows and sends them (booking/notify/). The phone number is not
    copied here: an SMS names its recipient through ``contact``.
    """

    SMS, EMAIL, WHATSAPP = "sms", "email", "whatsapp"
    CODE, CONFIRMATION, REMINDER, CHANGE, CANCELLATION, INVITE = (
        "code", "confirmation", "reminder", "change", "cancellation", "invite",
    )  # fmt: skip
    #: The walk-in queue's "you are next" (booking/services/queue/turns.py).
    QUEUE_NEXT = "queue_next"
    #: A freed time offered from the waiting list (booking/services/waitlist/).
    OFFER = "offer"
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
    #: Rendered text with placeholders where the manage link and the code go (they are put
    #: in at send time, booking/notify/placeholders.py); emptied when personal data is erased.
    body = Text(default="")
    #: The words' name (booking/notify/texts.py TEMPLATES) and their values as JSON, with the
    #: same placeholders: what a WhatsApp template is sent with outside the 24-hour window.
    template = Varchar(length=24, null=True, default=None)
    variables = Text(null=True, default=None)
    #: A code message's code, sealed (booking/sealing.py); emptied once sent or given up.
    seed = Varchar(length=120, null=True, default=None)
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
    """One counted action (a hold, a code, a staff login try) by a client address, kept an
    hour for limits.

    The address is stored only as a keyed hash.
    """

    HOLD, CODE, LOGIN = "hold", "code", "login"

    kind = Varchar(length=8)
    key_hash = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
