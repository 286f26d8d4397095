"""Daily roll-ups (idempotent per day), the purge of raw page views, the buffer flush.

A day is a UTC day. Rolling a day up replaces its roll-up rows, so re-running is safe. Raw rows
older than ANALYTICS_RAW_DAYS are deleted in set-based batches; days about to lose raw rows are
rolled up first, and a day that already lost some raw rows is never rolled up again.
"""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from redis.exceptions import LockError
from sqlalchemy import Boolean, case, delete, func, insert, literal, select

from webapp import clock
from webapp.analytics.collector import BUFFER_KEY
from webapp.analytics.models import VALUE_MAX, DailyRollup, PageView
from webapp.extensions import db
from webapp.jobs import queue

log = logging.getLogger("bizalom.analytics")
PURGE_BATCH = 10_000
FLUSH_BATCH = 1_000
FLUSH_LOCK = "bizalom:analytics:flush-lock"

DIMENSION_EXPRESSIONS = {
    "total": literal("all"),
    "path": PageView.path,
    "source": func.coalesce(PageView.utm_source, PageView.referrer_host, "(direct)"),
    "medium": func.coalesce(PageView.utm_medium, "(none)"),
    "campaign": PageView.utm_campaign,
    "device": PageView.device_type,
    "os": PageView.os_family,
    "browser": PageView.browser_family,
}


RAW_COLUMNS = (PageView.path, PageView.referrer_host, PageView.utm_source, PageView.utm_medium,
               PageView.utm_campaign, PageView.device_type, PageView.os_family, PageView.browser_family,
               PageView.visitor_id, PageView.is_new_visitor)


def dimension_values(row) -> list[tuple[str, str]]:
    """The (dimension, value) pairs one raw row counts under: the Python twin of
    ``DIMENSION_EXPRESSIONS`` (the dashboard counts the newest raw rows with it)."""
    source = next((v for v in (row.utm_source, row.referrer_host) if v is not None), "(direct)")
    pairs = [("total", "all"), ("path", row.path), ("source", source),
             ("medium", row.utm_medium if row.utm_medium is not None else "(none)"),
             ("device", row.device_type), ("os", row.os_family), ("browser", row.browser_family)]
    if row.utm_campaign is not None:
        pairs.append(("campaign", row.utm_campaign))
    return [(dimension, str(value)[:VALUE_MAX]) for dimension, value in pairs]


def raw_days() -> int:
    return int(current_app.config["ANALYTICS_RAW_DAYS"])


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start, start + timedelta(days=1)


def retention_cutoff(as_of: datetime | None = None) -> datetime:
    return (as_of or clock.now()) - timedelta(days=raw_days())


def aggregate(start: datetime, end: datetime) -> list[dict]:
    """Roll-up rows (without the day) of the raw page views in [start, end)."""
    rows = []
    new_visitor = case((PageView.is_new_visitor == literal(True, Boolean), PageView.visitor_id))
    for dimension, expression in DIMENSION_EXPRESSIONS.items():
        query = (select(expression.label("value"), func.count().label("views"),
                        func.count(PageView.visitor_id.distinct()).label("visitors"),
                        func.count(new_visitor.distinct()).label("new_visitors"))
                 .where(PageView.viewed_at >= start, PageView.viewed_at < end)
                 .group_by(expression))
        for value, views, visitors, new in db.session.execute(query):
            if value is not None:
                rows.append({"dimension": dimension, "value": str(value)[:VALUE_MAX], "views": views,
                             "visitors": visitors, "new_visitors": new})
    return rows


def computed_at(day: date) -> datetime | None:
    """When the roll-up of ``day`` counted its raw rows; None if it was never rolled up."""
    return db.session.scalar(select(DailyRollup.computed_at).where(DailyRollup.day == day,
                                                                   DailyRollup.dimension == "total").limit(1))


def rolled_up(day: date) -> bool:
    return computed_at(day) is not None


def rollup_day(day: date) -> int | None:
    """Replace the roll-up of ``day``; None when its raw data is already partly purged."""
    start, end = day_bounds(day)
    if start < retention_cutoff() and rolled_up(day):
        return None
    computed_at = clock.now()
    rows = [{"day": day, "computed_at": computed_at, **row} for row in aggregate(start, end)]
    db.session.execute(delete(DailyRollup).where(DailyRollup.day == day))
    if rows:
        db.session.execute(insert(DailyRollup), rows)
    db.session.flush()
    return len(rows)


def days_to_roll_up(as_of: datetime | None = None) -> list[date]:
    """Yesterday and the day before (late buffered views), plus any older day never rolled up."""
    today = (as_of or clock.now()).date()
    days = {today - timedelta(days=1), today - timedelta(days=2)}
    oldest = db.session.scalar(select(func.min(PageView.viewed_at)))
    if oldest is not None:
        day = oldest.date()
        while day < today - timedelta(days=2):
            if not rolled_up(day):
                days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def purge_raw(as_of: datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Delete raw page views older than ANALYTICS_RAW_DAYS; see ``purge_before``."""
    return purge_before(retention_cutoff(as_of), as_of, batch)


def count_before(cutoff: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(PageView).where(PageView.viewed_at < cutoff))


def purge_before(cutoff: datetime, as_of: datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Delete raw page views older than ``cutoff`` (after rolling up their days), in set-based
    batches; commits per batch. How many rows were deleted."""
    for day in days_to_roll_up(as_of):
        if day_bounds(day)[0] < cutoff and not rolled_up(day):
            rollup_day(day)
    db.session.commit()
    deleted = 0
    while True:
        ids = select(PageView.id).where(PageView.viewed_at < cutoff).limit(batch).scalar_subquery()
        count = db.session.execute(delete(PageView).where(PageView.id.in_(ids))).rowcount
        db.session.commit()
        deleted += count
        if count < batch:
            return deleted


def _parse(raw: bytes) -> dict | None:
    try:
        row = json.loads(raw)
        row["viewed_at"] = datetime.fromisoformat(row["viewed_at"])
        if row["viewed_at"].tzinfo is None:
            raise ValueError("naive time")
        return {column: row[column] for column in FLUSH_COLUMNS}
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("analytics: unreadable buffered page view dropped (%s)", type(exc).__name__)
        return None


FLUSH_COLUMNS = ("viewed_at", "path", "referrer_host", "utm_source", "utm_medium", "utm_campaign", "device_type",
                 "os_family", "browser_family", "visitor_id", "consent_id", "is_new_visitor")


def flush(batch: int = FLUSH_BATCH, max_batches: int = 500) -> int | None:
    """Move buffered page views into the table (commit per batch, then trim the buffer);
    None when another flush holds the lock. At least once: a crash between commit and trim
    stores a batch twice."""
    if queue.mode() != "redis":
        return 0
    conn = queue.connection()
    lock = conn.lock(FLUSH_LOCK, timeout=300, blocking=False)
    if not lock.acquire():
        return None
    stored = 0
    try:
        for _ in range(max_batches):
            raws = conn.lrange(BUFFER_KEY, 0, batch - 1)
            if not raws:
                break
            rows = [row for row in map(_parse, raws) if row is not None]
            if rows:
                db.session.execute(insert(PageView), rows)
            db.session.commit()
            conn.ltrim(BUFFER_KEY, len(raws), -1)
            stored += len(rows)
    finally:
        with contextlib.suppress(LockError):  # expired meanwhile
            lock.release()
    return stored
