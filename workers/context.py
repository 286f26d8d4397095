"""Runs job functions inside an app context and keeps their Task row current."""

from __future__ import annotations

import functools
import importlib
import logging

from flask import Flask, current_app, has_app_context
from rq import get_current_job

from webapp import clock
from webapp.extensions import db
from webapp.jobs.models import Task

log = logging.getLogger("bizalom.jobs")
_worker_app: Flask | None = None


def worker_app() -> Flask:
    """The app of this worker process, built on first use (not at import)."""
    global _worker_app
    if _worker_app is None:
        from webapp import create_app

        _worker_app = create_app()
    return _worker_app


def import_job(func_path: str):
    module_name, _, attr = func_path.rpartition(".")
    if not module_name.startswith("workers."):
        raise ValueError(f"job functions live in workers/: {func_path}")
    return getattr(importlib.import_module(module_name), attr)


def report_progress(percent: int, message: str | None = None) -> None:
    """Publish progress for the UI without committing the job's transaction."""
    percent = max(0, min(100, int(percent)))
    job = get_current_job()
    if job is not None:
        job.meta.update(progress=percent, message=message)
        job.save_meta()


def _task_for(job_id: str, func) -> Task:
    task = db.session.get(Task, job_id)
    if task is None:  # periodic jobs from `rq cron` arrive without a row
        rq_job = get_current_job()
        task = Task(id=job_id, name=f"{func.__module__}.{func.__name__}",
                    queue=rq_job.origin if rq_job else "default", state="queued", progress=0)
        db.session.add(task)
    return task


def _run(func, args, kwargs, job_id: str):
    task = _task_for(job_id, func)
    task.state, task.started_at = "started", clock.now()
    try:
        outcome = func(*args, **kwargs)
    except Exception as exc:
        db.session.rollback()
        task = _task_for(job_id, func)
        task.state, task.finished_at = "failed", clock.now()
        task.message = type(exc).__name__
        db.session.commit()
        log.exception("job failed", extra={"job_id": job_id})
        raise
    task.state, task.progress, task.finished_at = "finished", 100, clock.now()
    if isinstance(outcome, str):
        task.result = outcome
    db.session.commit()
    return outcome


def _run_untracked(func, args, kwargs):
    try:
        outcome = func(*args, **kwargs)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return outcome


def job(func=None, *, track: bool = True):
    """Decorator for job functions: app context, Task bookkeeping, one commit at the end.

    ``@job(track=False)`` skips the Task row, for frequent periodic housekeeping whose
    progress nobody watches (RQ still keeps its own result and failure records)."""
    if func is None:
        return functools.partial(job, track=track)

    @functools.wraps(func)
    def wrapper(*args, _job_id: str | None = None, **kwargs):
        rq_job = get_current_job()
        job_id = rq_job.id if rq_job is not None else (_job_id or f"direct-{func.__name__}")
        run = (lambda: _run(func, args, kwargs, job_id)) if track else (lambda: _run_untracked(func, args, kwargs))
        if has_app_context():
            return run()
        with worker_app().app_context():
            return run()

    return wrapper


__all__ = ["job", "report_progress", "import_job", "worker_app", "current_app"]
