"""Fixed-window rate limits shared by every web process (Redis), counted in-process without Redis.

Keys are built by the caller and should not hold personal data in the clear: hash them with
``crypto.keyed_hash`` first. Counters live only for their window.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import current_app

from webapp.jobs import queue

log = logging.getLogger("bizalom.ratelimit")
PREFIX = "bizalom:rl:"
_BREAKER_SECONDS = 30


class _Windows:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts: dict[tuple[str, int], int] = {}

    def hit(self, key: str, slot: int) -> int:
        with self.lock:
            if len(self.counts) > 100_000:
                self.counts = {k: v for k, v in self.counts.items() if k[1] >= slot}
            self.counts[(key, slot)] = self.counts.get((key, slot), 0) + 1
            return self.counts[(key, slot)]


def _in_redis(key: str, window: int, slot: int) -> int | None:
    if queue.mode() != "redis":
        return None
    state = current_app.extensions.setdefault("ratelimit", {"down_until": 0.0, "windows": _Windows()})
    if time.monotonic() < state["down_until"]:
        return None
    name = f"{PREFIX}{key}:{slot}"
    try:
        pipe = queue.connection().pipeline(transaction=False)
        pipe.incr(name)
        pipe.expire(name, window + 1)
        return pipe.execute()[0]
    except Exception as exc:  # noqa: BLE001 - a limiter must never fail the request
        log.warning("rate limit: Redis unreachable (%s); counting in-process", type(exc).__name__)
        state["down_until"] = time.monotonic() + _BREAKER_SECONDS
        return None


def hit(key: str, window: int, limit: int) -> bool:
    """Count one event under ``key``; False when the window's count is over ``limit``."""
    slot = int(time.time()) // window
    count = _in_redis(key, window, slot)
    if count is None:
        state = current_app.extensions.setdefault("ratelimit", {"down_until": 0.0, "windows": _Windows()})
        count = state["windows"].hit(key, slot)
    return count <= limit
