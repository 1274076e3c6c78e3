"""Loket: appointments and warm handovers for migrant information points."""

import os

# Piccolo finds its engine through this module; set it before any table is imported.
os.environ.setdefault("PICCOLO_CONF", "booking.piccolo_conf")
