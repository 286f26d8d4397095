"""A separate, committed source database for the backup and pseudonymisation tests.

The suite's own database keeps each test in a rolled-back transaction, which ``pg_dump`` and
SQLite's backup API cannot see. These tests therefore build a second app on its own database (a
SQLite file, or with TEST_DATABASE_URL a PostgreSQL database next to the test database), migrate
it and load the demo data, committed.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from webapp.backups.crypto import generate_key_pair

ONLINE_KEY = "online-backup-key-for-tests-0123456789"


def _postgres_url(suffix: str) -> str | None:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return None
    from webapp.config import _database_url

    url = make_url(_database_url(base, None)).set(database=f"{make_url(base).database}_{suffix}")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def backup_keys():
    return generate_key_pair()


@pytest.fixture(scope="module")
def source_app(tmp_path_factory, extra_apps, backup_keys):
    """An app on its own committed database, filled with the demo data."""
    from flask_migrate import upgrade

    from webapp.demo.services import load_demo_data
    from webapp.extensions import db

    folder = tmp_path_factory.mktemp("source")
    database_url = _postgres_url("bksrc") or f"sqlite:///{folder / 'source.sqlite3'}"
    app = extra_apps(INSTANCE_PATH=str(folder), DATABASE_URL=database_url, BACKUP_DIR=str(folder / "backups"),
                     BACKUP_ONLINE_KEY=ONLINE_KEY, BACKUP_RECIPIENT_PUBLIC_KEY=backup_keys.public,
                     BACKUP_KEEP_DAYS="14")
    with app.app_context():
        upgrade(revision="heads")
        load_demo_data(contacts_per_tenant=20)
        db.session.commit()
        db.session.remove()
    return app
