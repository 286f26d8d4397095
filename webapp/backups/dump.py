"""Dump and restore per database: SQLite's online backup API, or pg_dump / pg_restore.

Each dump also returns the manifest, computed from the very snapshot that was dumped: the
SQLite copy itself, or on PostgreSQL the exported snapshot that pg_dump is pinned to.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import NullPool

from webapp.backups import manifest


class DumpError(RuntimeError):
    """pg_dump / pg_restore failed, or the target is unusable."""


def dump_name(dialect: str) -> str:
    return "database.sqlite3" if dialect == "sqlite" else "database.pgdump"


@contextmanager
def _engine(url: URL | str):
    engine = create_engine(url, poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def sqlite_manifest(path: Path) -> dict:
    with _engine(f"sqlite:///{path}") as engine, engine.connect() as connection:
        return manifest.build(connection)


def dump_sqlite(engine: Engine, target: Path) -> dict:
    source = sqlite3.connect(engine.url.database)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()
    return sqlite_manifest(target)


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise DumpError(f"{what} failed: {result.stderr.strip()[:400]}")


def dump_postgres(engine: Engine, target: Path) -> dict:
    dsn, env = libpq(engine.url)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-owner", f"--file={target}",
              f"--dbname={dsn}"], env, "pg_dump")
        return manifest.build(connection)


def dump(engine: Engine, target: Path) -> dict:
    if engine.dialect.name == "sqlite":
        return dump_sqlite(engine, target)
    if engine.dialect.name == "postgresql":
        return dump_postgres(engine, target)
    raise DumpError(f"backups support SQLite and PostgreSQL, not {engine.dialect.name}")


def scratch_url(source: URL) -> URL:
    return source.set(database=f"{source.database}_restore_check")


def _admin(url: URL):
    return create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def recreate_postgres(url: URL) -> None:
    admin = _admin(url)
    try:
        with admin.connect() as connection:
            name = connection.dialect.identifier_preparer.quote(url.database)
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()


def drop_postgres(url: URL) -> None:
    admin = _admin(url)
    try:
        with admin.connect() as connection:
            name = connection.dialect.identifier_preparer.quote(url.database)
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


def restore_postgres(dump_file: Path, url: URL) -> dict:
    """Load a pg_dump file into the (empty) database at ``url``; the manifest of the result."""
    dsn, env = libpq(url)
    _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={dsn}", str(dump_file)],
         env, "pg_restore")
    with _engine(url) as engine, engine.connect() as connection:
        return manifest.build(connection)


def parse_url(value: str) -> URL:
    return make_url(value)
