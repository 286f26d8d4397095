"""Rate limits of the collector: per visitor (and per consent id) per minute, and a global cap per
second. Fixed-window counters in Redis (one pipelined round trip), shared by every web process.

Like the login lockout, the limiter keeps counters, not addresses: its keys are the random
visitor and consent ids, never an IP. Without Redis, or while it is unreachable, the same
windows are counted in this process (each process then applies the caps on its own share).
Over a limit, page views are dropped silently: the page itself is always served.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import current_app

from webapp.jobs import queue

log = logging.getLogger("bizalom.analytics")
PREFIX = "bizalom:analytics:rl:"
BREAKER_SECONDS = 30
_BREAKER = "analytics.redis_down"


class LocalWindows:
    """In-process fixed-window counters (the fallback without Redis)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._window: dict[int, int] = {}

    def incr(self, key: str, window: int) -> int:
        slot = int(time.time()) // window
        with self._lock:
            if self._window.get(window) != slot:
                self._counts = {k: v for k, v in self._counts.items() if not k.startswith(f"{window}:")}
                self._window[window] = slot
            name = f"{window}:{key}"
            self._counts[name] = self._counts.get(name, 0) + 1
            return self._counts[name]


def _local() -> LocalWindows:
    return current_app.extensions.setdefault("analytics.local_windows", LocalWindows())


def _limits() -> tuple[int, int]:
    config = current_app.config
    return int(config["ANALYTICS_VISITOR_PER_MINUTE"]), int(config["ANALYTICS_GLOBAL_PER_SECOND"])


def _redis_counts(keys: list[tuple[str, int]]) -> list[int] | None:
    if queue.mode() != "redis":
        return None
    conn = queue.connection()
    down = current_app.extensions.get(_BREAKER)
    if down is not None and down[0] is conn and time.monotonic() < down[1]:
        return None
    now = int(time.time())
    pipe = conn.pipeline(transaction=False)
    for key, window in keys:
        name = f"{PREFIX}{key}:{now // window}"
        pipe.incr(name)
        pipe.expire(name, window + 1)
    try:
        return pipe.execute()[::2]
    except Exception as exc:  # noqa: BLE001 - Redis down must not fail the page
        log.warning("analytics limiter: Redis unreachable (%s); counting in-process", type(exc).__name__)
        current_app.extensions[_BREAKER] = (conn, time.monotonic() + BREAKER_SECONDS)
        return None


def allow(visitor_id: str, consent_id: str | None) -> bool:
    """Count one page view; False when the visitor, the consent id or everyone is over a limit."""
    per_visitor, per_second = _limits()
    keys = [("g", 1), (f"v:{visitor_id}", 60)]
    if consent_id:
        keys.append((f"c:{consent_id}", 60))
    counts = _redis_counts(keys)
    if counts is None:
        counts = [_local().incr(key, window) for key, window in keys]
    return counts[0] <= per_second and all(count <= per_visitor for count in counts[1:])
