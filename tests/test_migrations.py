"""Schema only through migrations: one head, upgrade from empty, models equal migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Config
from sqlalchemy import inspect

from webapp.config import PROJECT_ROOT
from webapp.extensions import db
from webapp.health.services import migration_heads


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return ScriptDirectory.from_config(config)


def test_single_migration_head():
    assert len(_script().get_heads()) == 1


def test_every_revision_chains_to_the_base():
    revisions = list(_script().walk_revisions())
    assert revisions[-1].down_revision is None
    assert len({rev.revision for rev in revisions}) == len(revisions)


def test_empty_database_was_upgraded_to_head(app, db_session):
    connection = db_session.connection()
    current = MigrationContext.configure(connection).get_current_heads()
    assert tuple(sorted(current)) == migration_heads()
    tables = set(inspect(connection).get_table_names())
    assert {"tenants", "users", "tasks", "contacts", "companies", "leads"} <= tables


def test_models_equal_migrations(app, db_session):
    context = MigrationContext.configure(db_session.connection(), opts={"compare_type": True})
    diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_from_empty_and_downgrade_to_base(app, tmp_path):
    """A second, empty database goes to head and back to base (SQLite batch mode or PostgreSQL)."""
    from flask_migrate import downgrade, upgrade

    from webapp import create_app

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        url = _fresh_postgres(url)
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    fresh = create_app(environ={"BIZALOM_ENV": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path),
                                "REDIS_URL": app.config["REDIS_URL"], "LOG_LEVEL": "WARNING"})
    with fresh.app_context():
        upgrade()
        engine = db.engine
        assert "contacts" in inspect(engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_heads() == tuple(_script().get_heads())
        engine.dispose()


def _fresh_postgres(url: str) -> str:
    from sqlalchemy import create_engine, make_url, text

    parsed = make_url(url)
    name = f"{parsed.database}_fresh"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)
