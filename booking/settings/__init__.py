"""All configuration, read from the environment once, so nothing else touches os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path

from booking.settings import sections
from booking.settings.reading import SettingsError, number, switch

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


#: Used when LOKET_SECRET_KEY is unset; fine on a laptop, never in production.
DEVELOPMENT_KEY = "loket-development-key-not-secret"
#: The shortest secret key a production installation starts with.
MIN_SECRET_KEY = 32
ENVIRONMENTS = ("development", "production")


@dataclass(frozen=True, slots=True)
class Settings:
    """Loket's settings. Each field names its environment variable and default.

    Attributes:
        database_url: ``DATABASE_URL``. ``sqlite:///var/loket.sqlite`` (relative to the
            project) by default; ``postgres://user:pass@host:port/db`` for PostgreSQL.
        host: ``HOST``, interface to serve on (127.0.0.1).
        port: ``PORT``, port to serve on (8000).
        public_base_url: ``PUBLIC_BASE_URL``, how the outside world reaches Loket; used in
            manage links and webhook signatures (http://HOST:PORT).
        horizon_days: ``LOKET_HORIZON_DAYS``, how far ahead slots are offered (56).
        min_notice_minutes: ``LOKET_MIN_NOTICE_MINUTES``, earliest bookable start from now (120).
        slot_grid_minutes: ``LOKET_SLOT_GRID_MINUTES``, slots start on this local grid (15).
        buffer_minutes: ``LOKET_BUFFER_MINUTES``, free time kept between two appointments of
            one person (0).
        web_concurrency: ``WEB_CONCURRENCY``, web worker processes for ``loket serve`` (1).
        point_cache_mb: ``LOKET_POINT_CACHE_MB``, memory each process may spend keeping
            points' master data for slot searches (64; about 60 KB per point of 15 people).
        log_level: ``LOG_LEVEL`` (INFO).
        secret_key: ``LOKET_SECRET_KEY``, keys the hashes of SMS codes and client addresses,
            derives the manage links and seals the codes waiting in the outbox (a fixed
            development key by default; a production installation refuses to start with it).
        environment: ``LOKET_ENV``, ``development`` or ``production`` (development; an https
            PUBLIC_BASE_URL counts as production too).
        hold_minutes: ``LOKET_HOLD_MINUTES``, how long a slot is held for the SMS code (10).
        max_code_attempts: ``LOKET_MAX_CODE_ATTEMPTS``, wrong codes before a hold ends (5).
        offer_minutes: ``LOKET_OFFER_MINUTES``, how long a time offered from the waiting list
            is held for the person it was offered to (15).
        max_live_per_phone: ``LOKET_MAX_LIVE_PER_PHONE``, live appointments per number (3).
        codes_per_hour: ``LOKET_CODES_PER_HOUR``, code messages per number per hour (5).
        holds_per_hour_per_address: ``LOKET_HOLDS_PER_HOUR``, holds per client address per
            hour (10).
        rate_limits: ``LOKET_RATE_LIMITS``, ``off`` switches the per-address limits off for
            load tests; never the default (on).
        dev_pages: ``LOKET_DEV_PAGES``, ``on`` shows /dev/messages with the texts the embedded
            SMS backend "sent" and the outbox's e-mail (off; ``make run`` turns it on).
        in_process_worker: ``LOKET_IN_PROCESS_WORKER``, each web process also sends the outbox
            and ends expired holds (on); turn off when running ``loket worker`` instead.
        reminders: ``LOKET_REMINDERS``, lead times of the SMS reminders ("24h,2h").
        quiet_hours: ``LOKET_QUIET_HOURS``, local hours without messages ("21:00-08:00").
        outbox_lease_seconds: ``LOKET_OUTBOX_LEASE_SECONDS``, how long a dispatcher owns a
            claimed message before another may send it (120).
        sends_in_flight: ``LOKET_SENDS_IN_FLIGHT``, messages a dispatcher has with the
            provider at once: a crash (kill -9) may send up to that many again (1).
        twilio_account_sid: ``TWILIO_ACCOUNT_SID``; with the token, SMS go through Twilio.
        twilio_auth_token: ``TWILIO_AUTH_TOKEN``; also checks the webhooks' signatures.
        twilio_messaging_service_sid: ``TWILIO_MESSAGING_SERVICE_SID``, or else...
        twilio_from: ``TWILIO_FROM``, a number or an alphanumeric sender ID such as ``Loket``.
        twilio_api_base_url: ``TWILIO_API_BASE_URL``, Twilio's API or a compatible server for
            tests and staging (https://api.twilio.com).
        twilio_whatsapp_from: ``TWILIO_WHATSAPP_FROM``, the WhatsApp sender's number, kept
            as ``whatsapp:+31...``; unset, texts to WhatsApp contacts go by SMS.
        twilio_whatsapp_templates: ``TWILIO_WHATSAPP_TEMPLATES``, approved templates: text
            name -> language -> Content SID, as JSON or a JSON file's path (none).
        voice_points: ``LOKET_VOICE_POINTS``, slugs of the points whose free times the voice
            line offers, in order of preference ("veghel,telefoon").
        voice_topic: ``LOKET_VOICE_TOPIC``, the topic of appointments booked by keypad
            ("referral": a general question).
        video_base_url: ``LOKET_VIDEO_BASE_URL``, where video handovers meet; a room name
            nobody can guess is appended (https://meet.jit.si/).
        callback_point: ``LOKET_CALLBACK_POINT``, the telephone point whose agenda receives
            "call me back" requests ("telefoon").
        smtp_host: ``SMTP_HOST``; when set, e-mail (calendar invites) goes through this SMTP
            server. Empty by default: the embedded mailer keeps messages in the outbox and
            /dev/messages shows them.
        smtp_port: ``SMTP_PORT`` (587; 465 when SMTP_SECURITY is ``tls``).
        smtp_username: ``SMTP_USERNAME``; when set, Loket logs in (after TLS).
        smtp_password: ``SMTP_PASSWORD``.
        smtp_security: ``SMTP_SECURITY``: ``starttls`` (upgrade a plain connection, the
            default), ``tls`` (TLS from the first byte, "SMTPS") or ``none`` (only for a relay
            on the same host or network).
        smtp_timeout_seconds: ``SMTP_TIMEOUT_SECONDS``, per connection and command (30).
        mail_from: ``MAIL_FROM``, the sender of e-mail, e.g. ``Loket <loket@example.nl>``; its
            address is also the ORGANIZER of the invites and names the Message-IDs
            (``Loket <loket@localhost>``).
        retention_days: ``LOKET_RETENTION_DAYS``, days after an appointment ends before its
            personal data (number, first name, note, texts) is erased; the anonymous counts
            stay (90, at least 1; DOMAIN.md rule 6).
        retention_batch: ``LOKET_RETENTION_BATCH``, the most appointments (or call-backs)
            the retention job erases in one transaction; on SQLite slow batches take fewer
            (5000, at least 1).
        retention_pause_ms: ``LOKET_RETENTION_PAUSE_MS``, milliseconds the retention job
            waits between two batches, so that bookings interleave with it (50).
        database_replica_url: ``DATABASE_REPLICA_URL``, a PostgreSQL streaming replica that
            the read-only report queries use; unset (or unreachable): the primary.
        recheck: ``LOKET_RECHECK``, for tests only: ``off`` makes bookings skip their
            re-check of the slot inside the write transaction, so that the race tests show
            the database alone refusing every double hold (on).
        busy_poll_minutes: ``LOKET_BUSY_POLL_MINUTES``, how often the worker reads each
            interpreter's or agency place's own calendar (10).
        busy_timeout_seconds: ``LOKET_BUSY_TIMEOUT_SECONDS``, per request to such a calendar;
            a slower one counts as failing and keeps its last busy times (20).
        imap_host: ``IMAP_HOST``, the server of the organizer mailbox (MAIL_FROM's address)
            where invitees' calendar answers (iTIP REPLY, COUNTER) arrive. Empty by default:
            only the accept and decline links in the e-mail count.
        imap_port: ``IMAP_PORT`` (993; 143 with IMAP_SECURITY ``starttls`` or ``none``).
        imap_security: ``IMAP_SECURITY``: ``tls`` (IMAPS, the default), ``starttls`` or
            ``none`` (a server on the same host only).
        imap_username: ``IMAP_USERNAME``, the mailbox's login.
        imap_password: ``IMAP_PASSWORD``.
        imap_folder: ``IMAP_FOLDER``, where answers arrive ("INBOX").
        imap_done_folder: ``IMAP_DONE_FOLDER``, where handled answers are moved; created
            when missing ("Loket-handled"). Any other mail is left where it is.
        imap_poll_seconds: ``IMAP_POLL_SECONDS``, how often the mailbox is read (60).
        imap_timeout_seconds: ``IMAP_TIMEOUT_SECONDS``, per connection and command (30).
        log_format: ``LOG_FORMAT``, ``text`` (one line per record) or ``json`` (one JSON
            object per line, for log collectors) (text).
        metrics_allow: ``LOKET_METRICS_ALLOW``, networks (CIDR, comma-separated) that may
            read /metrics without a token ("127.0.0.0/8,::1/128"; empty: none).
        metrics_token: ``LOKET_METRICS_TOKEN``, a bearer token that may read /metrics from
            anywhere (unset: none).
        metrics_port: ``LOKET_METRICS_PORT``, ``loket worker`` serves /metrics (and /health)
            on this port, since its counters live in its own process (0: off).
        metrics_dir: ``PROMETHEUS_MULTIPROC_DIR``, prometheus-client's own variable: the
            folder where the web workers of one ``loket serve`` pool their counters.
            ``loket serve`` makes a fresh one when unset; set it only to choose where.
        oidc_issuer: ``LOKET_OIDC_ISSUER``, the OpenID Connect provider for single sign-on,
            exactly as its discovery document names itself; https (http on loopback only).
            Unset: no single sign-on.
        oidc_client_id: ``LOKET_OIDC_CLIENT_ID``, Loket's client at that provider.
        oidc_client_secret: ``LOKET_OIDC_CLIENT_SECRET`` (empty: a public client, PKCE only).
        oidc_scopes: ``LOKET_OIDC_SCOPES``, requested scopes, ``openid`` among them
            ("openid email profile").
        oidc_groups_claim: ``LOKET_OIDC_GROUPS_CLAIM``, the claim listing the person's groups
            ("groups").
        oidc_role_map: ``LOKET_OIDC_ROLE_MAP``, JSON from group to ``"role@region-code"`` or
            ``"admin"``, e.g. ``{"veghel-staff": "consultant@noordoost-brabant"}``.
        oidc_name: ``LOKET_OIDC_NAME``, the login button's "Sign in with ..." (the issuer's
            host name).
        password_threads: ``LOKET_PASSWORD_THREADS``, threads that hash and check passwords
            (argon2, 64 MiB each) off the event loop; a burst of logins queues for them (2).
        staff_idle_minutes: ``LOKET_STAFF_IDLE_MINUTES``, a staff session unused this long
            ends, besides its 12-hour lifetime (30).
        factor_for_all: ``LOKET_FACTOR_FOR_ALL``, ``on`` requires a second factor of
            consultants too, not only of coordinators and admins (off).
    """

    database_url: str
    host: str
    port: int
    public_base_url: str
    horizon_days: int
    min_notice_minutes: int
    slot_grid_minutes: int
    buffer_minutes: int
    web_concurrency: int
    point_cache_mb: int
    log_level: str
    secret_key: str = field(repr=False)  # kept out of tracebacks and logs
    hold_minutes: int
    max_code_attempts: int
    offer_minutes: int
    max_live_per_phone: int
    codes_per_hour: int
    holds_per_hour_per_address: int
    rate_limits: bool
    dev_pages: bool
    in_process_worker: bool
    reminders: str
    quiet_hours: str
    outbox_lease_seconds: int
    sends_in_flight: int
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_messaging_service_sid: str
    twilio_from: str
    twilio_api_base_url: str
    voice_points: tuple[str, ...]
    voice_topic: str
    callback_point: str
    video_base_url: str
    smtp_host: str
    smtp_port: int
    smtp_username: str
    smtp_password: str = field(repr=False)  # kept out of tracebacks and logs
    smtp_security: str
    smtp_timeout_seconds: int
    mail_from: str
    retention_days: int
    recheck: bool = True
    busy_poll_minutes: int = 10
    busy_timeout_seconds: int = 20
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = "tls"
    imap_username: str = ""
    imap_password: str = field(default="", repr=False)  # kept out of tracebacks and logs
    imap_folder: str = "INBOX"
    imap_done_folder: str = "Loket-handled"
    imap_poll_seconds: int = 60
    imap_timeout_seconds: int = 30
    log_format: str = "text"
    metrics_allow: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    metrics_token: str = field(default="", repr=False)
    metrics_port: int = 0
    metrics_dir: str = ""
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = field(default="", repr=False)
    oidc_scopes: tuple[str, ...] = ("openid", "email", "profile")
    oidc_groups_claim: str = "groups"
    #: Group -> (role, region code or None for admins).
    oidc_role_map: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    oidc_name: str = ""
    retention_batch: int = 5000
    retention_pause_ms: int = 50
    database_replica_url: str = field(default="", repr=False)  # may hold a password
    environment: str = "development"

    @property
    def production(self) -> bool:
        """LOKET_ENV=production, or served over https: only a real secret key will do."""
        return self.environment == "production" or self.public_base_url.lower().startswith(
            "https://"
        )

    password_threads: int = 2
    staff_idle_minutes: int = 30
    factor_for_all: bool = False
    twilio_whatsapp_from: str = ""
    twilio_whatsapp_templates: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def mail_from_address(self) -> str:
        """The bare address of MAIL_FROM: the envelope sender and the invites' ORGANIZER."""
        return parseaddr(self.mail_from)[1]

    @property
    def mail_domain(self) -> str:
        """The right-hand side of Loket's Message-IDs."""
        return self.mail_from_address.rpartition("@")[2]

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file named by ``sqlite:///relative`` or ``sqlite:////absolute``."""
        if not self.database_url.startswith("sqlite:///"):
            raise SettingsError(f"DATABASE_URL is not a sqlite:/// URL: {self.database_url!r}")
        path = Path(self.database_url.removeprefix("sqlite:///"))
        return path if path.is_absolute() else PROJECT_ROOT / path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        host = env.get("HOST") or "127.0.0.1"
        port = number(env, "PORT", 8000, minimum=1)
        database_url = env.get("DATABASE_URL") or "sqlite:///var/loket.sqlite"
        if not database_url.startswith(("sqlite:///", "postgres://", "postgresql://")):
            raise SettingsError(
                "DATABASE_URL must start with sqlite:///, postgres:// or postgresql://"
            )
        grid = number(env, "LOKET_SLOT_GRID_MINUTES", 15, minimum=1)
        if 60 % grid:
            raise SettingsError("LOKET_SLOT_GRID_MINUTES must divide 60 (5, 10, 15, 20, 30, 60)")
        return cls(
            database_url=database_url,
            host=host,
            port=port,
            public_base_url=(env.get("PUBLIC_BASE_URL") or f"http://{host}:{port}").rstrip("/"),
            horizon_days=number(env, "LOKET_HORIZON_DAYS", 56, minimum=1),
            min_notice_minutes=number(env, "LOKET_MIN_NOTICE_MINUTES", 120),
            slot_grid_minutes=grid,
            buffer_minutes=number(env, "LOKET_BUFFER_MINUTES", 0),
            web_concurrency=number(env, "WEB_CONCURRENCY", 1, minimum=1),
            point_cache_mb=number(env, "LOKET_POINT_CACHE_MB", 64, minimum=1),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            secret_key=env.get("LOKET_SECRET_KEY") or DEVELOPMENT_KEY,
            environment=_environment(env),
            hold_minutes=number(env, "LOKET_HOLD_MINUTES", 10, minimum=1),
            max_code_attempts=number(env, "LOKET_MAX_CODE_ATTEMPTS", 5, minimum=1),
            offer_minutes=number(env, "LOKET_OFFER_MINUTES", 15, minimum=1),
            max_live_per_phone=number(env, "LOKET_MAX_LIVE_PER_PHONE", 3, minimum=1),
            codes_per_hour=number(env, "LOKET_CODES_PER_HOUR", 5, minimum=1),
            holds_per_hour_per_address=number(env, "LOKET_HOLDS_PER_HOUR", 10, minimum=1),
            rate_limits=switch(env, "LOKET_RATE_LIMITS", True),
            dev_pages=switch(env, "LOKET_DEV_PAGES", False),
            in_process_worker=switch(env, "LOKET_IN_PROCESS_WORKER", True),
            reminders=env.get("LOKET_REMINDERS") or "24h,2h",
            quiet_hours=env.get("LOKET_QUIET_HOURS") or "21:00-08:00",
            outbox_lease_seconds=number(env, "LOKET_OUTBOX_LEASE_SECONDS", 120, minimum=1),
            sends_in_flight=number(env, "LOKET_SENDS_IN_FLIGHT", 1, minimum=1),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or "",
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or "",
            twilio_messaging_service_sid=env.get("TWILIO_MESSAGING_SERVICE_SID") or "",
            twilio_from=env.get("TWILIO_FROM") or "",
            twilio_api_base_url=(env.get("TWILIO_API_BASE_URL") or "https://api.twilio.com").rstrip(
                "/"
            ),
            voice_points=tuple(
                slug.strip()
                for slug in (env.get("LOKET_VOICE_POINTS") or "veghel,telefoon").split(",")
                if slug.strip()
            ),
            voice_topic=env.get("LOKET_VOICE_TOPIC") or "referral",
            callback_point=env.get("LOKET_CALLBACK_POINT") or "telefoon",
            video_base_url=_video_base_url(env),
            **sections.smtp(env),
            retention_days=number(env, "LOKET_RETENTION_DAYS", 90, minimum=1),
            recheck=switch(env, "LOKET_RECHECK", True),
            busy_poll_minutes=number(env, "LOKET_BUSY_POLL_MINUTES", 10, minimum=1),
            busy_timeout_seconds=number(env, "LOKET_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
            **sections.imap(env),
            **sections.operations(env),
            **sections.oidc(env),
            **sections.scale(env),
            **sections.logins(env),
            **sections.whatsapp(env),
        )


def refuse_unsafe_production(settings: Settings) -> None:
    """Stops a production installation (https, or LOKET_ENV=production) from starting on the
    development key, under which anyone could derive its manage links and open its codes,
    or with the development pages, which show what the outbox sends.

    Raises:
        SettingsError: one line that says what to set.
    """
    if settings.production and (
        settings.secret_key == DEVELOPMENT_KEY or len(settings.secret_key) < MIN_SECRET_KEY
    ):
        raise SettingsError(
            "LOKET_SECRET_KEY must be set to a random value of at least"
            f" {MIN_SECRET_KEY} characters when PUBLIC_BASE_URL is https or"
            " LOKET_ENV=production (for example: python3 -c 'import secrets;"
            " print(secrets.token_urlsafe(48))')"
        )
    if settings.production and settings.dev_pages:
        raise SettingsError(
            "LOKET_DEV_PAGES must be off when PUBLIC_BASE_URL is https or LOKET_ENV=production"
        )


def _environment(env: Mapping[str, str]) -> str:
    value = (env.get("LOKET_ENV") or "development").strip().lower()
    if value not in ENVIRONMENTS:
        raise SettingsError(f"LOKET_ENV must be development or production, got {value!r}")
    return value


def _video_base_url(env: Mapping[str, str]) -> str:
    url = (env.get("LOKET_VIDEO_BASE_URL") or "https://meet.jit.si/").strip()
    if not url.startswith("https://"):
        raise SettingsError(f"LOKET_VIDEO_BASE_URL must be an https:// URL, got {url!r}")
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
