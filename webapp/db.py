"""Declarative base, column types and engine set-up shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from webapp import clock


class UTCDateTime(TypeDecorator):
    """Stores UTC (naive on SQLite, timestamptz on PostgreSQL), always returns aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use webapp.clock.now()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Deterministic constraint names keep SQLite batch migrations and PostgreSQL in step.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: clock.now(), nullable=False)


def configure_engine_events() -> None:
    """SQLite: real transactions (SAVEPOINT support), foreign keys, WAL, busy timeout."""

    @event.listens_for(Engine, "connect")
    def _sqlite_on_connect(dbapi_connection, _record):
        module = type(dbapi_connection).__module__
        if not module.startswith("sqlite3"):
            return
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(Engine, "begin")
    def _sqlite_on_begin(conn):
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")


_configured = False


def configure_engine_events_once() -> None:
    global _configured
    if not _configured:
        configure_engine_events()
        _configured = True


def one_of(column: str, values, nullable: bool = False) -> str:
    """SQL for a CHECK that ``column`` holds one of ``values`` (a closed set of plain identifiers)."""
    condition = f"{column} IN ({', '.join(repr(str(value)) for value in values)})"
    return f"{column} IS NULL OR {condition}" if nullable else condition
