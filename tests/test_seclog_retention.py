"""Security log retention: detailed entries 90 days, security events 365 days, the chain still verifies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from webapp.jobs import services as jobs
from webapp.jobs.models import Task
from webapp.seclog import chain, drain
from webapp.seclog.models import SecurityEvent
from webapp.seclog.services import BUFFER_KEY, purge_expired, record

NOW = datetime(2026, 11, 25, 3, 50, tzinfo=UTC)


@pytest.fixture()
def buffer(redis_conn):
    redis_conn.delete(BUFFER_KEY, drain.PROCESSING_KEY, drain.LOCK_KEY)
    return redis_conn


def record_days_ago(kind: str, days: int, **fields) -> None:
    with time_machine.travel(NOW - timedelta(days=days)):
        record(kind, **fields)


@pytest.fixture()
def aged(db_session, buffer):
    """Interleaved classes, oldest first: security 366 and 364 days, detailed 91 and 89 days."""
    record_days_ago("login_failed", 366, user_id=366)
    record_days_ago("access", 91, user_id=91)
    record_days_ago("login_ok", 364, user_id=364)
    record_days_ago("access", 89, user_id=89)
    record_days_ago("access", 1, user_id=1)
    assert drain.drain() == 5


def remaining(db_session) -> dict[str, list[int]]:
    db_session.expire_all()
    kept: dict[str, list[int]] = {"detailed": [], "security": []}
    for event in db_session.scalars(select(SecurityEvent).order_by(SecurityEvent.seq)):
        if event.kind != "log_purged":
            kept[event.chain].append(event.user_id)
    return kept


def test_each_class_keeps_its_own_retention(db_session, aged):
    with time_machine.travel(NOW):
        assert purge_expired() == {"detailed": 1, "security": 1}
    assert remaining(db_session) == {"detailed": [89, 1], "security": [364]}


def test_a_purge_is_recorded_and_the_chains_still_verify(db_session, aged):
    assert purge_expired(as_of=NOW) == {"detailed": 1, "security": 1}
    db_session.commit()
    drain.drain()
    [purge] = db_session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "log_purged"))
    assert json.loads(purge.detail)["deleted"] == {"detailed": 1, "security": 1}
    verdict = chain.verify()
    assert verdict.ok, verdict.broken
    assert [(r.chain, r.first_seq, r.count) for r in verdict.reports] == [("detailed", 2, 2), ("security", 2, 2)]


def test_a_dry_run_counts_and_deletes_nothing(db_session, aged):
    assert purge_expired(as_of=NOW, dry_run=True) == {"detailed": 1, "security": 1}
    assert remaining(db_session) == {"detailed": [91, 89, 1], "security": [366, 364]}
    assert drain.drain() == 0  # no purge event either


def test_retention_days_come_from_the_config(app, db_session, aged, monkeypatch):
    monkeypatch.setitem(app.config, "SECLOG_DETAILED_RETENTION_DAYS", 30)
    monkeypatch.setitem(app.config, "SECLOG_SECURITY_RETENTION_DAYS", 400)
    assert purge_expired(as_of=NOW) == {"detailed": 2, "security": 0}
    assert remaining(db_session) == {"detailed": [1], "security": [366, 364]}


def test_purging_everything_of_a_class_keeps_its_seq_going(db_session, aged):
    purge_expired(as_of=NOW + timedelta(days=400))
    record("access", user_id=2)
    drain.drain()
    [survivor] = db_session.scalars(select(SecurityEvent).where(SecurityEvent.chain == "detailed"))
    assert survivor.seq == 4 and chain.verify().ok


def test_cli_purge_dry_run_then_purge_then_verify(app, db_session, aged):
    runner = app.test_cli_runner()
    with time_machine.travel(NOW):
        dry = runner.invoke(args=["seclog", "purge", "--dry-run"])
        assert dry.exit_code == 0 and "would delete: detailed 1, security 1" in dry.output
        assert remaining(db_session)["detailed"] == [91, 89, 1]
        real = runner.invoke(args=["seclog", "purge"])
        assert real.exit_code == 0 and "deleted: detailed 1, security 1" in real.output
    drain.drain()
    verified = runner.invoke(args=["seclog", "verify"])
    assert verified.exit_code == 0 and verified.output.startswith("OK: 4 entries verified"), verified.output


def test_the_purge_job_runs_on_a_real_worker(db_session, aged, run_jobs):
    with time_machine.travel(NOW):
        task = jobs.enqueue("workers.seclog.purge_security_log", queue_name="maintenance")
        db_session.commit()
        assert run_jobs() == 1
    db_session.expire_all()
    done = db_session.get(Task, task.id)
    assert (done.state, done.result) == ("finished", "purged detailed 1, security 1")
    assert remaining(db_session) == {"detailed": [89, 1], "security": [364]}
