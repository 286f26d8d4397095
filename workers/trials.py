"""Trial jobs: close trials whose time is up (their data is deleted later by the retention engine)."""

from __future__ import annotations

from webapp.trials import services
from workers.context import job


@job(track=False)
def close_expired_trials() -> str:
    return f"closed {services.close_expired()} trials"
