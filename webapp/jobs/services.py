"""Enqueueing jobs: one helper, named queues, a Task row per job, dispatch after commit.

A job is pushed to Redis only once the transaction that asked for it has committed,
so a worker never picks up work whose data it cannot see. If Redis is down at that
moment the Task stays ``queued`` and ``workers.maintenance.redispatch_lost_tasks``
pushes it again later: nothing is lost.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app, g, has_app_context, has_request_context
from rq.job import Job
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from webapp import clock
from webapp.extensions import db
from webapp.jobs import queue
from webapp.jobs.models import Task

log = logging.getLogger("bizalom.jobs")
PENDING_KEY = "bizalom_pending_jobs"
JOB_TIMEOUT = 3600


def _check_args(args: tuple) -> None:
    for arg in args:
        if not isinstance(arg, str | int | float | bool | type(None)):
            raise TypeError(f"jobs take ids and plain values, not {type(arg).__name__}")


def enqueue(func_path: str, *args, queue_name: str = "default", job_id: str | None = None,
            user_id: int | None = None) -> Task:
    """Create the Task row now; push the job to its queue after the transaction commits.

    A deterministic ``job_id`` makes the call idempotent: an unfinished task with that
    id is returned as it is.
    """
    _check_args(args)
    if queue_name not in queue.QUEUES:
        raise ValueError(f"unknown queue {queue_name!r}")
    job_id = job_id or f"{func_path.rsplit('.', 1)[-1]}-{uuid.uuid4().hex}"
    existing = db.session.get(Task, job_id)
    if existing is not None:
        return existing
    task = Task(id=job_id, name=func_path, queue=queue_name, args=json.dumps(list(args)),
                state="queued", progress=0, user_id=user_id)
    db.session.add(task)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append((func_path, args, queue_name, job_id))
    return task


def dispatch(func_path: str, args: tuple, queue_name: str, job_id: str) -> bool:
    """Push one job to Redis; False (and a log line) when Redis cannot be reached."""
    try:
        queue.get_queue(queue_name).enqueue(
            func_path, *args, job_id=job_id, job_timeout=JOB_TIMEOUT,
            result_ttl=24 * 3600, failure_ttl=7 * 24 * 3600,
        )
    except Exception as exc:  # noqa: BLE001 - Redis down must not fail the request
        log.warning("job %s not dispatched (%s); it will be retried", job_id, type(exc).__name__)
        return False
    return True


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if not pending or not has_app_context():
        return
    if queue.mode() == "inline":
        if has_request_context():
            g.setdefault("inline_jobs", []).extend(pending)
        else:
            current_app.extensions.setdefault("inline_jobs", []).extend(pending)
        return
    for func_path, args, queue_name, job_id in pending:
        dispatch(func_path, args, queue_name, job_id)


def _after_rollback(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(PENDING_KEY, None)


def run_inline_jobs() -> int:
    """Inline mode: run the jobs that committed transactions asked for, in this process."""
    from workers.context import import_job

    jobs = g.pop("inline_jobs", []) if has_request_context() else []
    jobs += current_app.extensions.pop("inline_jobs", [])
    for func_path, args, _queue_name, job_id in jobs:
        import_job(func_path)(*args, _job_id=job_id)
    return len(jobs)


@dataclass(frozen=True)
class Progress:
    state: str  # queued, started, finished, failed
    percent: int
    message: str | None = None

    @property
    def done(self) -> bool:
        return self.state in ("finished", "failed")


def live_progress(task: Task) -> tuple[int, str | None]:
    """Progress of a running job: the worker's latest report in Redis, else the Task row."""
    if task.state != "started" or queue.mode() != "redis":
        return task.progress, task.message
    try:
        meta = Job.fetch(task.id, connection=queue.connection()).get_meta(refresh=True)
    except Exception:  # noqa: BLE001 - Redis gone or job expired: the row is the truth
        return task.progress, task.message
    return int(meta.get("progress", task.progress)), meta.get("message", task.message)


def lost_tasks(older_than: timedelta = timedelta(minutes=5)) -> list[Task]:
    """Queued tasks that Redis does not know (dispatch failed while it was down)."""
    cutoff = clock.now() - older_than
    candidates = db.session.scalars(
        select(Task).where(Task.state == "queued", Task.created_at < cutoff).limit(500)
    ).all()
    conn = queue.connection()
    return [task for task in candidates if not Job.exists(task.id, connection=conn)]


def redispatch(task: Task) -> bool:
    return dispatch(task.name, tuple(json.loads(task.args)), task.queue, task.id)


def init_app(app: Flask) -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, _tx: _after_rollback(session))
    if not app.config.get("REDIS_URL") and app.config.get("JOB_MODE", "auto") != "redis":
        log.warning("REDIS_URL is not set: background jobs run inline in the web process")

    @app.after_request
    def _run_inline(response):
        if g.get("inline_jobs"):
            run_inline_jobs()
        return response
