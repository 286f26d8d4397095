"""Housekeeping jobs for the job system itself."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from webapp import clock
from webapp.extensions import db
from webapp.jobs import services
from webapp.jobs.models import Task
from workers.context import job, report_progress

TASK_KEEP_DAYS = 90
BATCH = 1000


@job
def redispatch_lost_tasks() -> str:
    """Push again the queued tasks whose dispatch failed while Redis was down."""
    count = sum(services.redispatch(task) for task in services.lost_tasks())
    return f"redispatched {count}"


@job
def purge_old_tasks(keep_days: int = TASK_KEEP_DAYS) -> str:
    """Delete finished or failed Task rows older than ``keep_days``, set-based, in batches."""
    cutoff = clock.now() - timedelta(days=int(keep_days))
    expired = (Task.state.in_(("finished", "failed")), Task.finished_at < cutoff)
    total = db.session.scalar(select(func.count()).select_from(Task).where(*expired)) or 0
    purged = 0
    while purged < total:
        batch = select(Task.id).where(*expired).limit(BATCH).scalar_subquery()
        deleted = db.session.execute(delete(Task).where(Task.id.in_(batch))).rowcount
        if not deleted:
            break
        purged += deleted
        report_progress(purged * 100 // total, f"{purged}/{total}")
    return f"purged {purged}"
