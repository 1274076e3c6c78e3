"""The rules of this installation, built once from settings and handed to every use case."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from booking.domain.availability import SlotRules
from booking.domain.reminders import LeadTime, QuietHours
from booking.settings import Settings

#: 16 URL-safe characters, 96 bits: unguessable, and short enough for a text message.
MANAGE_TOKEN_LENGTH = 16


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits against abuse (issue 3): per phone number always, per client address unless off."""

    max_live_per_phone: int = 3
    codes_per_hour: int = 5
    holds_per_hour_per_address: int = 10
    per_address: bool = True


@dataclass(frozen=True, slots=True)
class Policy:
    rules: SlotRules
    horizon_days: int
    hold: timedelta = timedelta(minutes=10)
    max_code_attempts: int = 5
    #: How long a time offered from the waiting list stays held for its person.
    offer: timedelta = timedelta(minutes=15)
    limits: Limits = Limits()
    secret: bytes = b"loket-test-key"
    reminders: tuple[LeadTime, ...] = (LeadTime(24 * 60), LeadTime(2 * 60))
    quiet: QuietHours = field(default_factory=QuietHours)
    public_base_url: str = "http://127.0.0.1:8000"
    #: Sender of e-mail, and the invites' ORGANIZER: "Loket <loket@example.org>".
    mail_from: str = "Loket <loket@localhost>"
    #: Where video handovers meet: a room name is appended.
    video_base_url: str = "https://meet.jit.si/"
    #: Personal data is erased this long after the appointment ends (LOKET_RETENTION_DAYS).
    retention: timedelta = timedelta(days=90)
    #: Off only in race tests: the database alone must then refuse every double hold.
    recheck: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            rules=SlotRules(
                grid=timedelta(minutes=settings.slot_grid_minutes),
                buffer=timedelta(minutes=settings.buffer_minutes),
                min_notice=timedelta(minutes=settings.min_notice_minutes),
                horizon=timedelta(days=settings.horizon_days),
            ),
            horizon_days=settings.horizon_days,
            hold=timedelta(minutes=settings.hold_minutes),
            max_code_attempts=settings.max_code_attempts,
            offer=timedelta(minutes=settings.offer_minutes),
            limits=Limits(
                max_live_per_phone=settings.max_live_per_phone,
                codes_per_hour=settings.codes_per_hour,
                holds_per_hour_per_address=settings.holds_per_hour_per_address,
                per_address=settings.rate_limits,
            ),
            secret=settings.secret_key.encode(),
            reminders=tuple(LeadTime.parse(t) for t in settings.reminders.split(",") if t.strip()),
            quiet=QuietHours.parse(settings.quiet_hours),
            public_base_url=settings.public_base_url,
            mail_from=settings.mail_from,
            video_base_url=settings.video_base_url,
            retention=timedelta(days=settings.retention_days),
            recheck=settings.recheck,
        )

    def today(self, now: datetime) -> date:
        return now.astimezone(UTC).date()

    def manage_url(self, token: str) -> str:
        """The link a migrant gets to see, cancel or move their appointment."""
        return f"{self.public_base_url}/m/{token}"

    def offer_url(self, token: str) -> str:
        """The link of a time offered from the waiting list: the held appointment's token."""
        return f"{self.public_base_url}/o/{token}"

    def manage_token(self, salt: str) -> str:
        """The manage token derived from an appointment's salt: only the hash of it and the
        salt are stored, so the link can be made again for a later message."""
        digest = hmac.new(self.secret, f"manage\x1f{salt}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:MANAGE_TOKEN_LENGTH]

    def keyed_hash(self, *parts: object) -> str:
        """A hash only this installation can compute: for SMS codes and client addresses."""
        text = "\x1f".join(str(p) for p in parts).encode()
        return hmac.new(self.secret, text, hashlib.sha256).hexdigest()
