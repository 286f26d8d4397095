"""Database back ends of a run: a recreated PostgreSQL database or a fresh embedded SQLite file.

``prepare`` migrates the schema (``flask_migrate.upgrade``) and fills it with
``bench.generate``; the returned environment serves the same database under gunicorn.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bench.generate import Generated, Sizes, generate

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DATABASE = "bizalom_bench"
BACKENDS = ("postgresql", "sqlite")
# Settings of the developer's shell that must not leak into a benchmark server.
SCRUBBED = ("DATABASE_URL", "REDIS_URL", "INSTANCE_PATH", "BIZALOM_ENV", "SECRET_KEY", "LOG_LEVEL")


@dataclass
class Prepared:
    backend: str
    env: dict[str, str]
    database: str
    generated: Generated


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(extra)
    return env


def postgres_version(admin_url: str = PG_ADMIN_URL) -> str | None:
    """The server version string, or None when PostgreSQL cannot be reached."""
    import psycopg

    try:
        with psycopg.connect(admin_url, connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return None


def recreate_postgres(admin_url: str, name: str = BENCH_DATABASE) -> str:
    """Drop and create database ``name``; returns its SQLAlchemy URL (psycopg 3 driver)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def prepare(backend: str, instance: Path, sizes: Sizes, seed: int, admin_url: str = PG_ADMIN_URL) -> Prepared:
    """A migrated database of ``backend`` filled with generated data, and the env that serves it."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db

    if backend not in BACKENDS:
        raise ValueError(f"unknown back end {backend!r}; choose from {BACKENDS}")
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    env = base_env(INSTANCE_PATH=str(instance))
    if backend == "postgresql":
        env["DATABASE_URL"] = recreate_postgres(admin_url)
    app = create_app(environ=env)
    with app.app_context():
        upgrade(revision="heads")
        generated = generate(db.engine, sizes, seed=seed)
        database = describe(db.engine)
        db.engine.dispose()
    return Prepared(backend=backend, env=env, database=database, generated=generated)


def describe(engine: Engine) -> str:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return "PostgreSQL " + conn.exec_driver_sql("SHOW server_version").scalar()
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (embedded default, WAL, file under INSTANCE_PATH)"
