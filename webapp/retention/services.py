"""Retention runs with their reports, the preview, and legal holds.

``run(as_of=None, dry_run=False, trigger="cli")`` is what the daily job and ``flask retention run``
call. The report row is committed before the first batch, each target's line after it ran.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from datetime import time as day_time

from sqlalchemy import select

from webapp import clock
from webapp.extensions import db
from webapp.processing import services as processing
from webapp.retention import engine, registry
from webapp.retention.models import LegalHold, RetentionRun, RetentionRunItem

REPORT_FIELDS = ("target", "category", "activity_key", "action", "rule", "cutoff", "candidates", "affected",
                 "held", "duration_ms", "error")


def start_of(day: date) -> datetime:
    """A run "as of" a date looks at that date's start (UTC)."""
    return datetime.combine(day, day_time(0, 0), tzinfo=UTC)


def run(as_of: datetime | None = None, dry_run: bool = False, trigger: str = "cli") -> RetentionRun:
    """Apply every target; returns the committed report."""
    processing.seed()  # the policy's activities are always there, whatever the deployment did
    report = RetentionRun(as_of=as_of or clock.now(), dry_run=dry_run, trigger=trigger, status="running",
                          started_at=clock.now())
    db.session.add(report)
    db.session.commit()
    started = time.perf_counter()
    failed = False
    for target in registry.targets():
        outcome = engine.apply(target, report.as_of, dry_run)
        failed = failed or outcome.error not in (None, "clock_unsupported")
        db.session.add(RetentionRunItem(run_id=report.id, **{name: getattr(outcome, name) for name in REPORT_FIELDS}))
        db.session.commit()
    report.status = "failed" if failed else "finished"
    report.finished_at = clock.now()
    report.duration_ms = int((time.perf_counter() - started) * 1000)
    db.session.commit()
    return report


def items_of(report: RetentionRun) -> list[RetentionRunItem]:
    return list(db.session.scalars(select(RetentionRunItem).where(RetentionRunItem.run_id == report.id)
                                   .order_by(RetentionRunItem.target)))


def recent_runs(limit: int = 20) -> list[RetentionRun]:
    return list(db.session.scalars(select(RetentionRun).order_by(RetentionRun.started_at.desc(),
                                                                 RetentionRun.id.desc()).limit(limit)))


def open_holds(as_of: datetime | None = None) -> list[LegalHold]:
    moment = as_of or clock.now()
    holds = db.session.scalars(select(LegalHold).where(LegalHold.released_at.is_(None))
                               .order_by(LegalHold.created_at.desc(), LegalHold.id.desc()))
    return [hold for hold in holds if hold.until is None or hold.until > moment]


def add_hold(*, scope: str, reason: str, created_by_id: int | None, email: str | None = None,
             user_id: int | None = None, table_name: str | None = None, record_id: int | None = None,
             until: datetime | None = None) -> LegalHold:
    hold = LegalHold(scope=scope, reason=reason, created_by_id=created_by_id,
                     email=email.strip().lower() if email else None, user_id=user_id,
                     table_name=table_name, record_id=record_id, until=until)
    db.session.add(hold)
    db.session.flush()
    return hold


def release_hold(hold: LegalHold, released_by_id: int | None) -> None:
    if hold.released_at is None:
        hold.released_at, hold.released_by_id = clock.now(), released_by_id
        db.session.flush()


def held_tables() -> list[str]:
    """Tables a record hold can name: those of the generic targets, and those a handler honours."""
    tables = set()
    for target in registry.targets():
        tables.update([target.table] if target.handler is None else getattr(target.handler, "hold_tables", ()))
    return sorted(tables)
