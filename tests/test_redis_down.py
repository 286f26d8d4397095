"""Redis stopped: the web app keeps serving and queues mail and SMS in the outbox; when Redis is back,
the running `rq worker` reconnects on its own and the relay delivers everything."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.backup_fixtures import _postgres_url
from tests.conftest import csrf_from
from tests.fakes.sms_provider import FakeSmsProvider
from tests.fakes.smtp import FakeSmtpServer

pytestmark = pytest.mark.slow
PASSWORD = "Tisza-river-lantern-2026"


class PrivateRedis:
    """A redis-server of this test only, on a unix socket; it can be stopped and started again."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.socket, self.process = folder, folder / "redis.sock", None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.process = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(self.socket), "--save",
                                         "", "--appendonly", "no", "--dir", str(self.folder)],
                                        stdout=subprocess.DEVNULL)
        _wait(self.socket.exists, 10, "redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        self.socket.unlink(missing_ok=True)


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_requests_queue_mail_and_sms_while_redis_is_down_and_the_relay_delivers_after(tmp_path, extra_apps):
    from flask_migrate import upgrade
    from rq import Queue

    from webapp.accounts.services import create_user
    from webapp.extensions import db
    from webapp.jobs.models import Task
    from webapp.messaging import services
    from webapp.messaging.models import OutboxEmail, SmsMessage

    redis, smtp, provider = PrivateRedis(tmp_path / "redis"), FakeSmtpServer().start(), FakeSmsProvider().start()
    redis.start()
    env = {"BIZALOM_ENV": "test", "INSTANCE_PATH": str(tmp_path), "LOG_LEVEL": "CRITICAL",
           "DATABASE_URL": _postgres_url("redisdown") or f"sqlite:///{tmp_path / 'down.sqlite3'}",
           "REDIS_URL": redis.url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_STARTTLS": "false",
           "MAIL_FROM": "Bizalom <no-reply@bizalom.example>", "SMS_DOMESTIC_URL": provider.url("/domestic"),
           "SMS_DOMESTIC_TOKEN": provider.token, "SMS_INTERNATIONAL_URL": provider.url("/international"),
           "SMS_INTERNATIONAL_TOKEN": provider.token}
    app = extra_apps(**env)
    worker = None
    try:
        with app.app_context():
            upgrade(revision="heads")
            create_user("vera@example.hu", "Vera Szabó", PASSWORD, staff_role="support")
            db.session.commit()
        rq = str(Path(sys.executable).parent / "rq")
        worker_env = {**{k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "DATABASE", "REDIS"))},
                      **env}
        with (tmp_path / "worker.log").open("w") as log:
            worker = subprocess.Popen([rq, "worker", "messages", "--url", redis.url, "--worker-class",
                                       "workers.messaging.PreloadedWorker"], env=worker_env, stdout=log,
                                      stderr=subprocess.STDOUT)
        time.sleep(2)
        redis.stop()

        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        assert client.get("/").status_code == 200
        token = csrf_from(client.get("/password/forgot").get_data(as_text=True))
        response = client.post("/password/forgot", data={"email": "vera@example.hu", "csrf_token": token})
        assert response.status_code == 303
        with app.app_context():
            services.queue_sms("+36 30 765 4321", "Your code: 123456", purpose="login_code")
            db.session.commit()
            email = db.session.scalars(select(OutboxEmail)).one()
            sms = db.session.scalars(select(SmsMessage)).one()
            assert (email.to_address, email.state, sms.state) == ("vera@example.hu", "pending", "pending")
            assert {task.state for task in db.session.scalars(select(Task))} == {"queued"}
            db.session.remove()

        redis.start()
        from redis import Redis

        connection = Redis.from_url(redis.url)
        for relay in ("relay_pending_email", "relay_pending_sms"):  # as `rq cron` does every minute
            Queue("messages", connection=connection).enqueue(f"workers.messaging.{relay}")
        connection.close()
        _wait(lambda: len(smtp.received) == 1 and len(provider.sent) == 1, 60, "the relay after Redis came back")
        assert worker.poll() is None, "the same worker process reconnected on its own"
        with app.app_context():
            db.session.expire_all()
            assert db.session.scalars(select(OutboxEmail.state)).one() == "sent"
            _wait(lambda: db.session.scalars(select(SmsMessage.state)).one() == "sent" or db.session.rollback(),
                  10, "the SMS result")
            db.session.remove()
        assert smtp.received[0].rcpt_tos == ["vera@example.hu"]
        assert "/reset/" in smtp.received[0].message.get_body(("plain",)).get_content()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=20)
        redis.stop()
        smtp.stop()
        provider.stop()
