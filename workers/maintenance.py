"""Housekeeping jobs for the job system itself."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from webapp import clock
from webapp.extensions import db
from webapp.jobs import services
from webapp.jobs.models import Task
from workers.context import job

TASK_KEEP_DAYS = 90


@job
def redispatch_lost_tasks() -> str:
    """Push again the queued tasks whose dispatch failed while Redis was down."""
    count = sum(services.redispatch(task) for task in services.lost_tasks())
    return f"redispatched {count}"


@job
def purge_old_tasks(keep_days: int = TASK_KEEP_DAYS) -> str:
    """Delete finished or failed Task rows older than ``keep_days`` (set-based)."""
    cutoff = clock.now() - timedelta(days=keep_days)
    result = db.session.execute(
        delete(Task).where(Task.state.in_(("finished", "failed")), Task.finished_at < cutoff)
    )
    return f"purged {result.rowcount}"
