"""``create_app()``: routes, injection, error handlers and the database pool, wired once."""

from __future__ import annotations

import gc
import logging
from datetime import timedelta

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from pythonjsonlogger.json import JsonFormatter

from booking.db import replica
from booking.db.transactions import close_pool, open_pool
from booking.metrics.http import request_metrics
from booking.settings import Settings, get_settings, refuse_unsafe_production
from booking.web.api import AppointmentController, DirectoryController, SlotController, health_check
from booking.web.bounds import MAX_BODY_BYTES
from booking.web.context import Clock, dependencies, utc_now
from booking.web.dev_pages import DevPages
from booking.web.errors import EXCEPTION_HANDLERS
from booking.web.feeds import CalendarFeeds
from booking.web.headers import security_headers
from booking.web.input_guard import InputGuard
from booking.web.invite_pages import InvitePages
from booking.web.language import set_request_language
from booking.web.manage.erasure import ManageErasure
from booking.web.manage.move import MovePages
from booking.web.manage.pages import ManagePages
from booking.web.openapi import document, openapi_config
from booking.web.operations import metrics, ready_check
from booking.web.pages import BookingPages
from booking.web.queue.api import StaffQueueApi
from booking.web.queue.public import QueuePages
from booking.web.queue.staff import StaffQueue
from booking.web.share_cards.routes import SharePicture
from booking.web.staff.admin.router import StaffAdmin
from booking.web.staff.api import StaffApi
from booking.web.staff.audit.api import AuditApi
from booking.web.staff.audit.pages import AuditLogPages
from booking.web.staff.bookings import StaffBookings
from booking.web.staff.busy_api import BusySourceApi
from booking.web.staff.csrf import SessionCsrf
from booking.web.staff.desk import StaffDesk
from booking.web.staff.feed_api import FeedApi
from booking.web.staff.handovers.api import HandoverApi
from booking.web.staff.handovers.followup import StaffHandover
from booking.web.staff.handovers.pages import StaffHandovers
from booking.web.staff.login.pages import StaffLogin
from booking.web.staff.profile import StaffProfile
from booking.web.staff.reports import StaffReports
from booking.web.staff.sso import StaffSso
from booking.web.staff.subject_access import SubjectAccess
from booking.web.staff.week.pages import StaffWeek
from booking.web.stylesheet import Stylesheet
from booking.web.templating import template_config
from booking.web.voice import VoiceLine
from booking.web.waitlist.api import OfferController, WaitlistController
from booking.web.waitlist.pages import WaitlistPages
from booking.web.waitlist.staff import StaffWaitlist
from booking.web.webhooks import TwilioWebhooks
from booking.worker import InProcess, Worker

VERSION = "0.1.0"

#: Libraries that log request details at INFO: Twilio's SDK (URLs, query strings, headers),
#: httpx (every URL), aiosmtplib and the HTTP servers' access logs (paths with manage
#: tokens). At WARNING they still report trouble, but never a number, a note or a token.
QUIET_LOGGERS = ("twilio", "httpx", "httpcore", "aiosmtplib", "aiohttp.access", "uvicorn.access")


LOG_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def log_formatter(settings: Settings) -> logging.Formatter:
    """Plain lines, or with LOG_FORMAT=json one object per line: time, level, logger,
    message (and exc_info for a traceback), for log collectors."""
    if settings.log_format == "json":
        return JsonFormatter(
            LOG_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}
        )
    return logging.Formatter(LOG_FIELDS)


def configure_logging(settings: Settings) -> None:
    """LOG_LEVEL for Loket's own loggers, which never log personal data (tests/conftest.py
    scans a whole test run for phone numbers); the chatty libraries above no lower than
    WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(log_formatter(settings))
    logging.basicConfig(level=settings.log_level, handlers=[handler])
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))


def create_app(settings: Settings | None = None, clock: Clock = utc_now) -> Litestar:
    settings = settings or get_settings()
    refuse_unsafe_production(settings)
    worker = InProcess(Worker(settings, clock, kind="web") if settings.in_process_worker else None)
    configure_logging(settings)

    async def start() -> None:
        await open_pool()
        await replica.configure(settings.database_replica_url)
        # Long-lived objects (modules, caches) leave the collector's generations, so the many
        # short-lived tuples of a slot search do not make it rescan them: p90 of a 4-week
        # search fell from ~40 ms to ~14 ms in bench/.
        gc.collect()
        gc.freeze()
        await worker.start()

    async def stop() -> None:
        await worker.stop()
        await replica.close()
        await close_pool()

    pages: list = [BookingPages, ManagePages, MovePages, WaitlistPages] + (
        [DevPages] if settings.dev_pages else []
    )
    app = Litestar(
        route_handlers=[
            DirectoryController,
            SlotController,
            AppointmentController,
            WaitlistController,
            OfferController,
            health_check,
            ready_check,
            metrics,
            TwilioWebhooks,
            StaffLogin,
            StaffDesk,
            StaffProfile,
            StaffSso,
            StaffBookings,
            StaffWeek,
            StaffQueue,
            QueuePages,
            StaffWaitlist,
            StaffApi,
            StaffQueueApi,
            HandoverApi,
            StaffHandovers,
            StaffHandover,
            FeedApi,
            BusySourceApi,
            CalendarFeeds,
            InvitePages,
            StaffAdmin,
            StaffReports,
            SubjectAccess,
            AuditLogPages,
            AuditApi,
            ManageErasure,
            VoiceLine,
            SharePicture,
            Stylesheet,
            *pages,
        ],
        dependencies=dependencies(settings, clock, worker),
        state=State({"clock": clock, "staff_idle": timedelta(minutes=settings.staff_idle_minutes)}),
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=MAX_BODY_BYTES,
        # Litestar's default logging config would replace the root logger's handlers and
        # level (LOG_LEVEL ignored, a test run's scanned log file dropped): configure_logging
        # is the one configuration.
        logging_config=None,
        before_request=set_request_language,
        template_config=template_config(),
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            exclude=[
                "^/api/",
                # Staff pages carry tokens bound to their session (booking/web/staff/csrf.py).
                "^/staff(/|$)",
                "^/schema",
                "^/health",
                "^/ready",
                "^/metrics",
                "^/dev/",
                "^/webhooks/",
            ],
            cookie_secure=settings.public_base_url.startswith("https://"),
            cookie_httponly=True,
            cookie_samesite="lax",
        ),
        compression_config=CompressionConfig(backend="gzip", minimum_size=500),
        on_startup=[start],
        middleware=[
            request_metrics,
            security_headers,
            InputGuard(),
            DefineMiddleware(
                SessionCsrf,
                secret=settings.secret_key,
                secure=settings.public_base_url.startswith("https://"),
            ),
        ],
        on_shutdown=[stop],
        openapi_config=openapi_config(VERSION),
    )
    document(app)
    return app
