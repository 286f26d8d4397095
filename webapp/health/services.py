"""Readiness: the database answers, the schema is at the migration head, the queue answers."""

from __future__ import annotations

from functools import cache

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import Config
from sqlalchemy import text

from webapp.config import PROJECT_ROOT
from webapp.extensions import db
from webapp.jobs import queue


@cache
def migration_heads() -> tuple[str, ...]:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))


def _database() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        rows = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        db.session.rollback()
        return {"ok": False, "error": type(exc).__name__}, {"ok": False, "error": "unknown"}
    current = tuple(sorted(rows))
    heads = migration_heads()
    return {"ok": True}, {"ok": current == heads, "current": list(current), "head": list(heads)}


def _redis() -> dict:
    if queue.mode() == "inline":
        return {"ok": True, "mode": "inline"}
    try:
        queue.connection().ping()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "mode": "redis", "error": type(exc).__name__}
    return {"ok": True, "mode": "redis"}


def readiness() -> dict:
    database, migrations = _database()
    return {"database": database, "migrations": migrations, "redis": _redis(),
            "env": {"ok": True, "name": current_app.config["BIZALOM_ENV"]}}
