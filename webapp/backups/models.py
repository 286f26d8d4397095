"""Backup runs and restore checks: operator-level records (no tenant), shown on the staff page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db

RUN_STATES = ("running", "done", "failed")
CHECK_OUTCOMES = ("passed", "failed", "skipped")


class BackupRun(TimestampMixin, db.Model):
    __tablename__ = "backup_runs"
    __table_args__ = (
        CheckConstraint("state IN ('running', 'done', 'failed')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="running")
    dialect: Mapped[str] = mapped_column(String(20), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    heads: Mapped[str | None] = mapped_column(String(200))
    table_count: Mapped[int | None] = mapped_column(Integer)
    row_count: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    checks: Mapped[list[RestoreCheck]] = relationship(back_populates="backup", order_by="RestoreCheck.id")


class RestoreCheck(TimestampMixin, db.Model):
    __tablename__ = "restore_checks"
    __table_args__ = (
        CheckConstraint("outcome IN ('passed', 'failed', 'skipped')", name="outcome_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    backup_run_id: Mapped[int | None] = mapped_column(ForeignKey("backup_runs.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str] = mapped_column(String(10), nullable=False)
    summary: Mapped[str] = mapped_column(String(500), nullable=False)
    report: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    report_file: Mapped[str | None] = mapped_column(String(200))

    backup: Mapped[BackupRun | None] = relationship(back_populates="checks")
