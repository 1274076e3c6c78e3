"""Benchmarks (`make bench`), not tests. Importing this package points Loket at the bench
database: DATABASE_URL when set (e.g. by scripts/with-postgres), else a fresh SQLite file."""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("DATABASE_URL"):
    shutil.rmtree(ROOT / "var" / "bench", ignore_errors=True)
    os.environ["DATABASE_URL"] = "sqlite:///var/bench/bench.sqlite"
os.environ["PICCOLO_CONF"] = "booking.piccolo_conf"
