"""The daily roll-up of the national report (issue 12): per local date, the counts each
report statement groups by, kept by the worker in ``report_day``. Database triggers write
every changed appointment's, handover's and allocation's local date to ``report_dirty`` in
the changing transaction; the worker recomputes those days once they are past, and a report
reads the roll-up for every clean day and the live tables for the dirty ones (today, days
ahead, days changed since the last run), so its figures are exactly the live ones."""
