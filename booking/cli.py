"""``loket``: migrate, load demo data, serve, work, back up and restore; the commands the
Makefile, the image and the stack run."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from booking.settings import Settings, SettingsError, get_settings, refuse_unsafe_production


def _migrate(_: argparse.Namespace) -> None:
    from booking.db.migrate import migrate

    print(asyncio.run(migrate(get_settings())))


def _backup(args: argparse.Namespace) -> None:
    from booking.db.backups import BackupError, backup

    try:
        backup(get_settings(), args.path)
    except (BackupError, FileNotFoundError) as error:
        raise SystemExit(f"backup: {error}") from None
    print(f"backup written to {args.path} ({args.path.stat().st_size:,} bytes)")


def _restore(args: argparse.Namespace) -> None:
    from booking.db.backups import BackupError, restore

    try:
        restore(get_settings(), args.path)
    except BackupError as error:
        raise SystemExit(f"restore: {error}") from None
    print(f"restored {args.path}; run `loket migrate` if this Loket is newer than the backup")


def _demo(_: argparse.Namespace) -> None:
    from booking.services.demo import load_demo
    from booking.services.demo_history import load_history

    async def both() -> str:
        now = datetime.now(UTC)
        return f"{await load_demo()}\n{await load_history(now)}"

    print(asyncio.run(both()))


def _create_admin(args: argparse.Namespace) -> None:
    """The first login: an admin, with a password typed twice (or LOKET_ADMIN_PASSWORD)."""
    import getpass
    import os

    from booking.db.transactions import is_unique_violation
    from booking.domain.errors import InvalidInput
    from booking.i18n import gettext
    from booking.services.auth.accounts import create_account

    password = os.environ.get("LOKET_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    if not os.environ.get("LOKET_ADMIN_PASSWORD") and getpass.getpass("Again: ") != password:
        raise SystemExit("The passwords differ.")
    try:
        account_id = asyncio.run(
            create_account(email=args.email, name=args.name, password=password, role="admin")
        )
    except InvalidInput as error:
        # A short password, say: the reason in a sentence and argparse's exit code for
        # bad arguments, not a traceback.
        print(gettext(error.message, "en", **error.params), file=sys.stderr)
        raise SystemExit(2) from None
    except Exception as error:
        if not is_unique_violation(error):
            raise
        raise SystemExit(f"A login for {args.email} exists already; nothing was changed.") from None
    print(f"admin {args.email} created (account {account_id})")


def _worker(_: argparse.Namespace) -> None:
    from booking.app import configure_logging
    from booking.db.transactions import open_pool
    from booking.web.context import utc_now
    from booking.web.operations import serve_operations
    from booking.worker import Worker

    settings = get_settings()
    refuse_unsafe_production(settings)
    configure_logging(settings)

    async def run() -> None:
        await open_pool(min_size=1, max_size=4)
        worker = Worker(settings, utc_now)
        loop = asyncio.get_running_loop()
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop_signal, worker.stop)
        operations = None
        if settings.metrics_port:
            operations = asyncio.create_task(serve_operations(settings, utc_now))
            # A metrics port that cannot be served stops the worker (cleanly).
            operations.add_done_callback(lambda task: task.cancelled() or worker.stop())
        try:
            await worker.run()
        finally:
            if operations is not None:
                operations.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await operations

    asyncio.run(run())


def server_options(settings: Settings, workers: int) -> dict[str, Any]:
    """How `loket serve` runs uvicorn. With more than one worker uvicorn binds the socket
    itself and hands it down; asyncio turns Nagle off only on a socket that says it is TCP,
    which older uvicorn releases' did not, so each keep-alive answer waited ~40 ms for the
    client's delayed ACK (issue 12; tests/ops/test_web_workers.py keeps it so)."""
    return {
        "app": "booking.app:create_app",
        "factory": True,
        "host": settings.host,
        "port": settings.port,
        "workers": workers,
        # The access log would print manage tokens (capabilities) in paths.
        "access_log": False,
        "log_level": settings.log_level.lower(),
        # uvicorn's own records go through Loket's handler (LOG_FORMAT) too.
        "log_config": None,
    }


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from booking.app import configure_logging
    from booking.metrics.processes import shared_counters

    settings = get_settings()
    refuse_unsafe_production(settings)
    configure_logging(settings)
    workers = args.workers or settings.web_concurrency
    with shared_counters(settings, workers) as settings:
        uvicorn.run(**server_options(settings, workers))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="loket", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(run=_migrate)
    commands.add_parser("demo", help="load the Noord-Brabant demo data (idempotent)").set_defaults(
        run=_demo
    )
    commands.add_parser(
        "worker", help="send the outbox and end expired holds (beside `serve`)"
    ).set_defaults(run=_worker)
    backup = commands.add_parser("backup", help="copy the whole database to a new file")
    backup.add_argument("path", type=Path)
    backup.set_defaults(run=_backup)
    restore = commands.add_parser("restore", help="load a backup into an empty database")
    restore.add_argument("path", type=Path)
    restore.set_defaults(run=_restore)
    admin = commands.add_parser("create-admin", help="create an admin login")
    admin.add_argument("email")
    admin.add_argument("--name", default="Admin")
    admin.set_defaults(run=_create_admin)
    serve = commands.add_parser("serve", help="serve HTTP on HOST:PORT")
    serve.add_argument("--workers", type=int, default=None, help="default: WEB_CONCURRENCY")
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except SettingsError as error:
        # One line on stderr and exit status 1, not a traceback: it says what to set.
        raise SystemExit(f"loket {args.command}: {error}") from None


if __name__ == "__main__":
    main()
