"""pytest fixtures for the messaging tests: a plugin named by ``pytest_plugins`` in those modules.

Nothing here is autouse, so other tests are unaffected.
"""

from __future__ import annotations

import pytest
from redis import Redis

from tests.fakes.sms_provider import FakeSmsProvider
from tests.fakes.smtp import FakeSmtpServer, free_port


@pytest.fixture(scope="module")
def _smtp_server():
    server = FakeSmtpServer(username="relay-user", password="relay-pass").start()
    yield server
    server.stop()


@pytest.fixture()
def smtp(_smtp_server, messaging_config):
    """The fake SMTP server, configured as the relay (no STARTTLS: it has no certificate)."""
    _smtp_server.reset()
    messaging_config(SMTP_HOST="127.0.0.1", SMTP_PORT=_smtp_server.port, SMTP_STARTTLS=False,
              SMTP_USERNAME="relay-user", SMTP_PASSWORD="relay-pass", SMTP_TIMEOUT=5,
              MAIL_FROM="Bizalom <no-reply@bizalom.example>")
    yield _smtp_server
    _smtp_server.reset()


@pytest.fixture()
def smtp_down(messaging_config):
    """SMTP configured on a port where nothing listens."""
    messaging_config(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_STARTTLS=False, SMTP_TIMEOUT=2)


@pytest.fixture(scope="module")
def _sms_provider():
    provider = FakeSmsProvider(slow_seconds=2.0).start()
    yield provider
    provider.stop()


@pytest.fixture()
def sms_provider(_sms_provider, messaging_config):
    """The fake provider behind both routes (paths /domestic and /international)."""
    _sms_provider.reset()
    messaging_config(SMS_DOMESTIC_URL=_sms_provider.url("/domestic"), SMS_DOMESTIC_TOKEN=_sms_provider.token,
              SMS_INTERNATIONAL_URL=_sms_provider.url("/international"),
              SMS_INTERNATIONAL_TOKEN=_sms_provider.token, SMS_TIMEOUT=1.0)
    yield _sms_provider
    _sms_provider.reset()


@pytest.fixture()
def messaging_config(app, monkeypatch):
    """Set app config keys for one test; monkeypatch puts the old values back."""

    def _set(**values):
        for name, value in values.items():
            monkeypatch.setitem(app.config, name, value)

    return _set


@pytest.fixture()
def clean_queues(redis_conn):
    """Start with empty queues: jobs left in Redis by earlier tests refer to rolled-back rows."""
    redis_conn.flushdb()
    return redis_conn


@pytest.fixture()
def redis_down(app):
    """While active, the app's Redis connection points at a closed port."""

    class _Switch:
        def __enter__(self):
            self.live = app.extensions["redis"]
            app.extensions["redis"] = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)

        def __exit__(self, *_exc):
            app.extensions["redis"] = self.live

    return _Switch()


@pytest.fixture()
def run_periodic(db_session, redis_conn, run_jobs):
    """Enqueue a periodic job the way `rq cron` does (no Task row), run the queues, return its result."""
    from rq import Queue
    from rq.job import Job

    def _run(name: str) -> str | None:
        db_session.commit()
        job_id = Queue("messages", connection=redis_conn).enqueue(f"workers.messaging.{name}").id
        run_jobs()
        db_session.expire_all()
        job = Job.fetch(job_id, connection=redis_conn)
        return job.return_value() if job.is_finished else f"job {job.get_status()}"

    return _run


@pytest.fixture(scope="module")
def provider():
    """A real OpenID provider over HTTP on 127.0.0.1 (tests/fakes/oidc_provider.py)."""
    from tests.fakes.oidc_provider import FakeOidcProvider

    fake = FakeOidcProvider().start()
    yield fake
    fake.stop()


@pytest.fixture()
def oidc(app, provider, monkeypatch):
    provider.reset()
    for key, value in provider.settings().items():
        monkeypatch.setitem(app.config, key, value)
    return provider
