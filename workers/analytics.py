"""Analytics jobs: flush the collector's buffer, roll up days, purge raw page views."""

from __future__ import annotations

from webapp import clock
from webapp.analytics import rollups
from workers.context import job


@job(track=False)
def flush_page_views() -> str:
    """Move buffered page views from Redis into the table (a no-op if another flush runs)."""
    stored = rollups.flush()
    return "busy: another flush is running" if stored is None else f"flushed {stored}"


@job
def rollup_analytics() -> str:
    """Roll up yesterday, the day before, and any day never rolled up (replacing their rows)."""
    done = {day: rollups.rollup_day(day) for day in rollups.days_to_roll_up()}
    return "rolled up " + (", ".join(f"{day} ({rows})" for day, rows in done.items() if rows is not None) or "-")


@job
def purge_analytics() -> str:
    """Delete raw page views older than ANALYTICS_RAW_DAYS (their days are rolled up first)."""
    return f"purged {rollups.purge_raw()} page views"


@job(track=False)
def rollup_analytics_today() -> str:
    """Refresh today's roll-up (every few minutes), so the dashboard adds only the newest raw rows."""
    return f"today: {rollups.rollup_day(clock.now().date())} rows"
