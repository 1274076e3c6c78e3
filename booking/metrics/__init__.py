"""Prometheus metrics: what each process counts (instruments), what the database shows at
scrape time (backlog, heartbeats), and how one scrape is put together (exposition).

Counters and histograms live in the process that observes them. The uvicorn workers of one
``loket serve`` share prometheus-client's multiprocess directory, so any of them answers for
all; each ``loket worker`` is a scrape target of its own (LOKET_METRICS_PORT). Gauges about
the whole installation (outbox backlog, oldest due message, worker heartbeats) are read from
the database at scrape time, so every target reports the same values.
"""
