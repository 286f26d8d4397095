"""Time as a dependency: code that needs "now" asks the app's clock.

``SystemClock`` reads the real time (which ``time-machine`` moves in tests);
``FixedClock`` is for unit tests that want a frozen instant without patching.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, has_app_context


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    def __init__(self, instant: datetime):
        self.instant = instant

    def now(self) -> datetime:
        return self.instant

    def advance(self, **delta: float) -> None:
        self.instant = self.instant + timedelta(**delta)


_SYSTEM = SystemClock()


def get_clock():
    if has_app_context():
        return current_app.extensions.get("clock", _SYSTEM)
    return _SYSTEM


def now() -> datetime:
    """The current time, aware, in UTC, from the app's clock."""
    return get_clock().now()
