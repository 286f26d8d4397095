"""A small closed-loop HTTP load generator (stdlib only), for servers on 127.0.0.1.

Each of ``concurrency`` threads keeps one ``http.client`` connection (re-opened
automatically when the server closes it, as gunicorn's sync workers do) and sends
GET requests back to back until the request budget or the time limit is used up.
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

ALLOWED_HOST = "127.0.0.1"


@dataclass
class LoadResult:
    """Throughput and latency of one load run; latencies in milliseconds."""

    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    concurrency: int
    statuses: dict[str, int] = field(default_factory=dict)
    exceptions: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


class _Budget:
    """Thread-safe countdown of the requests still allowed."""

    def __init__(self, total: int):
        self._left = total
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    exceptions: Counter = field(default_factory=Counter)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (0.0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _worker(port: int, path: str, headers: dict, budget: _Budget, deadline: float,
            timeout: float, tally: _Tally) -> None:
    conn = http.client.HTTPConnection(ALLOWED_HOST, port, timeout=timeout)
    try:
        while time.perf_counter() < deadline and budget.take():
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                tally.exceptions[type(exc).__name__] += 1
                conn.close()
                continue
            tally.latencies.append(time.perf_counter() - started)
            tally.statuses[str(response.status)] += 1
    finally:
        conn.close()


def run_load(port: int, path: str = "/", *, host: str = ALLOWED_HOST, headers: dict | None = None,
             concurrency: int = 4, max_requests: int = 1000, duration_s: float = 5.0,
             timeout_s: float = 10.0, expect_status: int = 200) -> LoadResult:
    """Load ``http://127.0.0.1:<port><path>``; stops after ``max_requests`` or ``duration_s``."""
    if host != ALLOWED_HOST:
        raise ValueError(f"the load generator only targets {ALLOWED_HOST}, not {host!r}")
    if concurrency < 1 or max_requests < 1 or duration_s <= 0:
        raise ValueError("concurrency, max_requests and duration_s must be positive")
    budget = _Budget(max_requests)
    tallies = [_Tally() for _ in range(concurrency)]
    started = time.perf_counter()
    deadline = started + duration_s
    threads = [threading.Thread(target=_worker, daemon=True,
                                args=(port, path, dict(headers or {}), budget, deadline, timeout_s, tally))
               for tally in tallies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _summarise(tallies, time.perf_counter() - started, concurrency, expect_status)


def _summarise(tallies: list[_Tally], seconds: float, concurrency: int, expect_status: int) -> LoadResult:
    latencies = sorted(value for tally in tallies for value in tally.latencies)
    statuses: Counter = sum((tally.statuses for tally in tallies), Counter())
    exceptions: Counter = sum((tally.exceptions for tally in tallies), Counter())
    ok = statuses.get(str(expect_status), 0)
    errors = sum(statuses.values()) - ok + sum(exceptions.values())
    ms = 1000.0
    return LoadResult(
        requests=len(latencies), errors=errors, seconds=round(seconds, 3),
        rps=round(ok / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=round(percentile(latencies, 0.50) * ms, 2), p95_ms=round(percentile(latencies, 0.95) * ms, 2),
        p99_ms=round(percentile(latencies, 0.99) * ms, 2),
        mean_ms=round(sum(latencies) / len(latencies) * ms, 2) if latencies else 0.0,
        max_ms=round(latencies[-1] * ms, 2) if latencies else 0.0,
        concurrency=concurrency, statuses=dict(statuses), exceptions=dict(exceptions),
    )
