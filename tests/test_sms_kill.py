"""`kill -9` of a real `rq worker` mid-batch: after the relay, the provider has every SMS exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from bench.sms_dispatch import redis_server
from tests.backup_fixtures import _postgres_url
from tests.fakes.sms_provider import FakeSmsProvider

pytestmark = pytest.mark.slow
MESSAGES = 600


class SlowProvider(FakeSmsProvider):
    """Takes 50 ms per message, so a batch is surely in flight when the worker is killed."""

    def _accept(self, call):
        time.sleep(0.05)
        return super()._accept(call)


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _kill_9(pid: int) -> None:
    """SIGKILL an rq worker and its work horse (rq starts the horse in a session of its own)."""
    horses = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert horses, "the worker is not running a job"
    for horse in horses:
        os.kill(int(horse), signal.SIGKILL)
    os.kill(pid, signal.SIGKILL)


def _worker(env: dict, log: Path) -> subprocess.Popen:
    rq = str(Path(sys.executable).parent / "rq")
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([rq, "worker", "messages", "--burst", "--url", env["REDIS_URL"], "--worker-class",
                                 "workers.messaging.PreloadedWorker"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def test_killed_worker_mid_batch_loses_nothing_and_duplicates_nothing(tmp_path, extra_apps):
    from flask_migrate import upgrade

    from webapp.extensions import db
    from webapp.messaging import services
    from webapp.messaging.models import SmsMessage
    from workers.messaging import relay_pending_sms

    provider = SlowProvider().start()
    workers: list[subprocess.Popen] = []
    with redis_server(tmp_path / "redis") as redis_url:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "DATABASE", "REDIS"))},
               "BIZALOM_ENV": "test", "INSTANCE_PATH": str(tmp_path), "LOG_LEVEL": "WARNING",
               "DATABASE_URL": _postgres_url("smskill") or f"sqlite:///{tmp_path / 'kill.sqlite3'}",
               "REDIS_URL": redis_url, "SMS_DOMESTIC_URL": provider.url("/domestic"),
               "SMS_INTERNATIONAL_URL": provider.url("/international"), "SMS_DOMESTIC_TOKEN": provider.token,
               "SMS_INTERNATIONAL_TOKEN": provider.token, "SMS_TIMEOUT": "5"}
        app = extra_apps(**{k: v for k, v in env.items() if k.isupper()})
        try:
            with app.app_context():
                upgrade(revision="heads")
                numbers = [(f"+36 30 {1_000_000 + n:07d}", f"Code {n:06d}") for n in range(MESSAGES)]
                rows = services.queue_sms_bulk(numbers, purpose="login_code", batch_size=300)
                keys = {row.idempotency_key for row in rows}
                db.session.commit()
                workers = [_worker(env, tmp_path / f"worker-{n}.log") for n in range(2)]
                _wait(lambda: len(provider.calls) >= 150, 120, "the workers to be mid-batch")
                _kill_9(workers[0].pid)  # the worker and its work horse, mid-batch
                workers[0].wait(timeout=10)
                workers[1].wait(timeout=180)
                db.session.remove()
                stranded = db.session.scalar(select(db.func.count()).where(SmsMessage.state == "sending"))
                pending = db.session.scalar(select(db.func.count()).where(SmsMessage.state != "sent"))
                assert stranded > 0, "the kill left part of a batch claimed, not yet recorded"
                with time_machine.travel(datetime.now(UTC) + timedelta(minutes=3)):
                    while (outcome := relay_pending_sms()) != "nothing due":
                        assert "error" not in outcome, outcome
                db.session.remove()
                states = dict(db.session.execute(select(SmsMessage.state, db.func.count())
                                                 .group_by(SmsMessage.state)).all())
                retried = db.session.scalar(select(db.func.count()).where(SmsMessage.attempts == 2))
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
            provider.stop()
    assert states == {"sent": MESSAGES}
    assert set(provider.sent) == keys, "every message reached the provider"
    assert len(provider.sent) == MESSAGES, "and each exactly once"
    assert retried >= stranded and pending >= stranded
    assert len(provider.calls) >= MESSAGES  # some keys were presented twice and deduplicated
