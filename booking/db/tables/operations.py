"""What running Loket needs to know about itself: which workers are alive."""

from piccolo.columns import Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class WorkerHeartbeat(Table):
    """One row per running worker (``loket worker`` or a web process's own), beaten every
    few seconds; /metrics shows each row's age, so a worker that died or hangs shows up.

    A worker deletes its row when it stops cleanly; rows a crash left behind are pruned
    after a day.
    """

    #: ``host:pid``, unique while the process runs.
    name = Varchar(length=120, unique=True)
    #: ``worker`` (a ``loket worker`` process) or ``web`` (inside a web process).
    kind = Varchar(length=8)
    started_at = Timestamptz(default=TimestamptzNow())
    beat_at = Timestamptz(default=TimestamptzNow())
