"""Jobs: one enqueue helper, dispatch after commit, a Task row with progress, real RQ workers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from croniter import croniter
from redis import Redis
from rq import Queue
from rq.job import Job

from webapp.jobs import services
from webapp.jobs.models import Task
from workers.context import import_job
from workers.schedule import PERIODIC_JOBS, Periodic

PURGE = "workers.maintenance.purge_old_tasks"


def _queued_ids(redis_conn, name="maintenance"):
    return Queue(name, connection=redis_conn).get_job_ids()


def test_enqueue_writes_a_task_and_dispatches_only_after_commit(db_session, redis_conn):
    task = services.enqueue(PURGE, 30, queue_name="maintenance")
    assert db_session.get(Task, task.id).state == "queued"
    assert json.loads(task.args) == [30]
    assert _queued_ids(redis_conn) == []
    db_session.commit()
    assert _queued_ids(redis_conn) == [task.id]


def test_rolled_back_work_enqueues_nothing(db_session, redis_conn):
    services.enqueue(PURGE, queue_name="maintenance")
    db_session.rollback()
    db_session.commit()
    assert _queued_ids(redis_conn) == []


def test_deterministic_job_id_is_idempotent(db_session, redis_conn):
    first = services.enqueue(PURGE, queue_name="maintenance", job_id="purge-2026-11-25")
    second = services.enqueue(PURGE, queue_name="maintenance", job_id="purge-2026-11-25")
    db_session.commit()
    assert first is second
    assert _queued_ids(redis_conn) == ["purge-2026-11-25"]
    assert db_session.query(Task).filter_by(id="purge-2026-11-25").count() == 1


def test_jobs_take_ids_not_objects(db_session, make):
    with pytest.raises(TypeError, match="ids"):
        services.enqueue(PURGE, make.tenant(), queue_name="maintenance")


def test_unknown_queue_is_refused(db_session):
    with pytest.raises(ValueError, match="queue"):
        services.enqueue(PURGE, queue_name="fast-lane")


def _finished_task(db_session, task_id: str, finished: datetime) -> None:
    db_session.add(Task(id=task_id, name=PURGE, queue="maintenance", state="finished", progress=100,
                        created_at=finished, finished_at=finished))
    db_session.flush()


def test_worker_runs_the_job_and_records_the_outcome(db_session, run_jobs):
    now = datetime(2026, 11, 25, 3, 40, tzinfo=UTC)
    with time_machine.travel(now):
        _finished_task(db_session, "old", now - timedelta(days=91))
        _finished_task(db_session, "recent", now - timedelta(days=89))
        task = services.enqueue(PURGE, queue_name="maintenance")
        db_session.commit()
        assert run_jobs() == 1
    db_session.expire_all()
    done = db_session.get(Task, task.id)
    assert (done.state, done.progress, done.result) == ("finished", 100, "purged 1")
    assert now <= done.started_at <= done.finished_at < now + timedelta(minutes=1)
    assert db_session.get(Task, "old") is None and db_session.get(Task, "recent") is not None


def test_a_failing_job_marks_its_task_failed(db_session, run_jobs):
    task = services.enqueue(PURGE, "not a number", queue_name="maintenance")
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    failed = db_session.get(Task, task.id)
    assert failed.state == "failed" and failed.message == "ValueError"


def test_redis_down_loses_nothing(app, db_session, redis_conn, run_jobs):
    """While Redis is unreachable the request still commits; the task is pushed again later."""
    live = app.extensions["redis"]
    app.extensions["redis"] = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    try:
        task = services.enqueue(PURGE, queue_name="maintenance")
        db_session.commit()
    finally:
        app.extensions["redis"] = live
    assert _queued_ids(redis_conn) == []
    assert db_session.get(Task, task.id).state == "queued"
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=6)):
        assert [t.id for t in services.lost_tasks()] == [task.id]
        assert services.redispatch(task)
    run_jobs()
    db_session.expire_all()
    assert db_session.get(Task, task.id).state == "finished"


def test_progress_reported_by_a_running_job_reaches_the_ui(app, db_session, redis_conn, make, client, login):
    user = make.user()
    task = services.enqueue(PURGE, queue_name="maintenance", user_id=user.id)
    db_session.commit()
    job = Job.fetch(task.id, connection=redis_conn)
    task.state = "started"
    job.meta.update(progress=42, message="420/1000")
    job.save_meta()
    db_session.commit()
    login(user)
    fragment = client.get(f"/tasks/{task.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'value="42"' in fragment and "420/1000" in fragment
    assert "<html" not in fragment and 'hx-trigger="load delay:1s"' in fragment


def test_progress_page_without_htmx_refreshes_itself_until_done(db_session, make, client, login):
    user = make.user()
    task = services.enqueue(PURGE, queue_name="maintenance", user_id=user.id)
    db_session.commit()
    login(user)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "<html" in page and 'http-equiv="refresh"' in page
    task.state, task.progress = "finished", 100
    db_session.commit()
    done = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in done and "hx-get" not in done


def test_someone_elses_task_is_not_found(db_session, make, client, login):
    owner, other = make.user(), make.user()
    task = services.enqueue(PURGE, queue_name="maintenance", user_id=owner.id)
    db_session.commit()
    login(other)
    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_progress_needs_login(db_session, client):
    response = client.get("/tasks/whatever")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("periodic", PERIODIC_JOBS, ids=lambda p: p.func)
def test_periodic_jobs_are_valid_data(periodic):
    assert callable(import_job(periodic.func))
    assert periodic.queue in ("default", "messages", "exports", "maintenance")
    assert periodic.interval or croniter.is_valid(periodic.cron)


def test_periodic_job_needs_exactly_one_schedule():
    with pytest.raises(ValueError):
        Periodic("workers.maintenance.purge_old_tasks", "maintenance")


def test_rq_cron_loads_every_periodic_job(redis_conn):
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=redis_conn)
    scheduler.load_config_from_file("workers.cron_config")
    names = sorted(job.name for job in scheduler.get_jobs())
    assert names == sorted(p.func for p in PERIODIC_JOBS)


def test_untracked_housekeeping_jobs_write_no_task_row(app, db_session, redis_conn, run_jobs):
    Queue("maintenance", connection=redis_conn).enqueue("workers.seclog.drain_security_log", job_id="drain-1")
    assert run_jobs() == 1
    assert db_session.get(Task, "drain-1") is None
    assert Job.fetch("drain-1", connection=redis_conn).get_status() == "finished"


def test_a_periodic_job_without_a_task_row_gets_one(app, db_session, redis_conn, run_jobs):
    Queue("maintenance", connection=redis_conn).enqueue(PURGE, job_id="cron-made-id")
    run_jobs()
    db_session.expire_all()
    task = db_session.get(Task, "cron-made-id")
    assert task is not None and task.state == "finished" and task.queue == "maintenance"
