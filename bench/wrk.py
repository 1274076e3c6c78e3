"""wrk (Debian's package, `make wrk`) as the benchmarks' load generator: compiled, it spends
a fraction of the server's CPU per request, where an httpx client spent more than twice
the server's and, on 2 cores, made the client the limit of what was measured."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass

THREADS, CONNECTIONS = 2, 8

#: Each wrk thread posts its share of the bodies once (thread n the n-th, n+THREADS-th...),
#: times its first request and last answer with CLOCK_MONOTONIC, counts the statuses and
#: says "finished" when its share is answered; done() prints the counts and the rate.
POST_EACH = """
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long s; long ns; } loket_ts;
           int clock_gettime(int clock, loket_ts *t); ]]
local ts = ffi.new("loket_ts")
local function now() ffi.C.clock_gettime(1, ts); return tonumber(ts.s) + tonumber(ts.ns) / 1e9 end
local bodies = { @BODIES@ }
local threads, count = {}, 0
function setup(thread) thread:set("slot", count); count = count + 1; table.insert(threads, thread) end
function init(args)
  mine = {}
  for i = slot + 1, #bodies, @THREADS@ do table.insert(mine, bodies[i]) end
  scheduled, sent, answered, statuses, first, last = 0, 0, 0, {}, 0, 0
end
-- wrk asks each connection's delay() before its request(), all connections first: once
-- the share is handed out, a connection waits past the run (it is interrupted before).
function delay()
  scheduled = scheduled + 1
  if scheduled > #mine then return 600000 end
  return 0
end
function request()
  if first == 0 then first = now() end
  sent = sent + 1
  return wrk.format("POST", "@PATH@", {["Content-Type"] = "application/json"}, mine[sent])
end
function response(status, headers, body)
  answered = answered + 1
  statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
  if answered == #mine then
    last = now(); io.write("finished\\n"); io.flush()
  end
end
function done(summary, latency, requests)
  local total, firsts, lasts, parts = {}, {}, {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
    if thread:get("first") > 0 then
      table.insert(firsts, thread:get("first")); table.insert(lasts, thread:get("last"))
    end
  end
  for status, n in pairs(total) do table.insert(parts, status .. "=" .. n) end
  io.write(string.format("posted %.6f %s\\n", math.max(unpack(lasts)) - math.min(unpack(firsts)),
           table.concat(parts, ",")))
end
"""


@dataclass(frozen=True)
class Load:
    """Requests/s at c=8, and where the CPU time went meanwhile."""

    rate: float
    wall: float
    server_cpu: float
    client_cpu: float

    def cpu(self) -> str:
        """The evidence whether the server or the machine is the limit: CPU seconds of
        the server and of wrk against the wall time's seconds of every core."""
        cores = os.cpu_count() or 1
        used = (self.server_cpu + self.client_cpu) / (self.wall * cores)
        return (
            f"CPU: server {self.server_cpu:.1f} s, wrk {self.client_cpu:.1f} s in"
            f" {self.wall:.1f} s x {cores} cores ({used:.0%} of the machine)"
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rate(url: str, path: str, seconds: int) -> tuple[float, float, float]:
    """Requests/s of GET ``path`` for ``seconds``, with the wall time and wrk's CPU."""
    cpu, began = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", url + path],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall, cpu = time.perf_counter() - began, _children_cpu() - cpu
    for row in done.stdout.splitlines():
        if row.startswith("Requests/sec:"):
            return float(row.split()[1]), wall, cpu
    raise RuntimeError(f"wrk printed no rate:\n{done.stdout}")


def post_each(url: str, path: str, bodies: list[dict]) -> tuple[float, dict[int, int]]:
    """POSTs each of ``bodies`` once at c=CONNECTIONS; returns posts/s (first request to
    last answer) and the count of each status. wrk runs for a fixed time, so it is
    interrupted once every thread has its answers."""
    encoded = ", ".join("[==[" + json.dumps(body) + "]==]" for body in bodies)
    script = POST_EACH.replace("@BODIES@", encoded).replace("@THREADS@", str(THREADS))
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(script.replace("@PATH@", path))
        file.flush()
        wrk = subprocess.Popen(
            ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", "-d300s", "-s", file.name, url],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert wrk.stdout is not None
        finished = 0
        for row in wrk.stdout:
            finished += row.strip() == "finished"
            if finished == min(THREADS, len(bodies)):
                wrk.send_signal(signal.SIGINT)
                break
        rest = wrk.stdout.read()
        wrk.wait(timeout=60)
    line = next(r for r in rest.splitlines() if r.startswith("posted "))
    _, seconds, counts = line.split(" ", 2)
    statuses = {int(s): int(n) for s, n in (part.split("=") for part in counts.split(","))}
    return len(bodies) / float(seconds), statuses
