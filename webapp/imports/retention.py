"""Retention: uploaded files and reports are deleted after ``IMPORT_FILE_RETENTION_DAYS``.

A system job across tenants (``all_tenants``): the records stay (who imported what, when, with
which outcome), their files go. Files without a record (an upload whose request failed) go by
their age. Imports stuck in ``running`` for longer than any job may run are marked interrupted.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, or_, select

from webapp import clock
from webapp.extensions import db
from webapp.imports import files, settings
from webapp.imports.models import ImportRecord
from webapp.jobs.models import Task
from webapp.jobs.services import JOB_TIMEOUT
from webapp.tenancy import all_tenants

BATCH = 500


def _expired(cutoff):
    return (ImportRecord.created_at < cutoff, ImportRecord.files_deleted_at.is_(None),
            ImportRecord.status.not_in(("queued", "running")))


def _expired_records(cutoff) -> list[ImportRecord]:
    statement = select(ImportRecord).where(*_expired(cutoff)).order_by(ImportRecord.id).limit(BATCH)
    return list(db.session.scalars(all_tenants(statement)))


def count_expired(cutoff) -> int:
    """Imports whose files are past retention (for the retention engine's preview)."""
    return db.session.scalar(all_tenants(select(func.count(ImportRecord.id)).where(*_expired(cutoff)))) or 0


def purge_records(cutoff) -> int:
    purged = 0
    while records := _expired_records(cutoff):
        for record in records:
            files.delete_all(record.tenant_id, record.stored_name)
            record.files_deleted_at, record.report_name = clock.now(), None
            record.headers_json = "[]"  # a file without a header row would have put a person's data here
        db.session.flush()
        purged += len(records)
    return purged


def purge_orphans(max_age_seconds: float) -> int:
    """Files older than the retention period that no unfinished import needs, by modification time."""
    root, removed = files.root(), 0
    if not root.exists():
        return 0
    oldest = time.time() - max_age_seconds
    active = set(db.session.scalars(all_tenants(
        select(ImportRecord.stored_name).where(ImportRecord.status.in_(("queued", "running"))))))
    for path in root.glob("*/*"):
        if path.is_file() and path.name.split(".")[0] not in active and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def mark_interrupted(now) -> int:
    """Running imports whose job failed outside the import (a killed worker) or ran out of time."""
    statement = select(ImportRecord).join(Task, Task.id == ImportRecord.task_id).where(
        ImportRecord.status == "running",
        or_(Task.state == "failed", Task.started_at < now - timedelta(seconds=2 * JOB_TIMEOUT)))
    count = 0
    for record in db.session.scalars(all_tenants(statement)):
        record.status, record.finished_at, record.error_code = "failed", now, "interrupted"
        count += 1
    db.session.flush()
    return count


def purge(keep_days: int | None = None) -> str:
    days = int(keep_days if keep_days is not None else settings.whole("IMPORT_FILE_RETENTION_DAYS"))
    now = clock.now()
    records = purge_records(now - timedelta(days=days))
    orphans = purge_orphans(days * 86400)
    interrupted = mark_interrupted(now)
    return f"purged files of {records} import(s), {orphans} orphan file(s); {interrupted} interrupted"
