"""Counters shared by the web workers of one ``loket serve`` (prometheus-client's
multiprocess mode): each worker writes its own files in one folder, and the worker that
answers a scrape adds them up, so every scrape sees the whole server."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from booking.settings import Settings, get_settings

#: prometheus-client reads this when first imported, in every worker process.
VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def shared_counters(settings: Settings, workers: int) -> Iterator[Settings]:
    """Sets up the folder before the workers start; yields the settings they will read.

    With one worker nothing is needed. A folder Loket makes is removed afterwards; a folder
    named by PROMETHEUS_MULTIPROC_DIR is emptied first, since files of an earlier run would
    count again.
    """
    if workers <= 1 and not settings.metrics_dir:
        yield settings
        return
    made = not settings.metrics_dir
    folder = Path(settings.metrics_dir or tempfile.mkdtemp(prefix="loket-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[VARIABLE] = str(folder)
    get_settings.cache_clear()
    try:
        yield get_settings()
    finally:
        if made:
            shutil.rmtree(folder, ignore_errors=True)
