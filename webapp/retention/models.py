"""Legal holds, and the purge reports (counts per category only: no personal data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

HOLD_SCOPES = ("person", "record")
RUN_TRIGGERS = ("cron", "cli", "staff")
RUN_STATES = ("running", "finished", "failed")


class LegalHold(TimestampMixin, db.Model):
    """Data that must not be purged (legal claims, an authority's order) until released or ``until``.

    ``person``: every row of a registered target whose e-mail column equals ``email`` or whose user
    column equals ``user_id``. ``record``: one row, ``table_name`` + ``record_id``.
    """

    __tablename__ = "legal_holds"
    __table_args__ = (
        CheckConstraint("scope IN ('person', 'record')", name="scope_known"),
        CheckConstraint("scope <> 'person' OR email IS NOT NULL OR user_id IS NOT NULL", name="person_named"),
        CheckConstraint("scope <> 'record' OR (table_name IS NOT NULL AND record_id IS NOT NULL)",
                        name="record_named"),
        CheckConstraint("email IS NULL OR email = lower(email)", name="email_lowercase"),
        Index("ix_legal_holds_open", "released_at", "until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254), info=pii("email"))
    user_id: Mapped[int | None] = mapped_column(Integer)
    table_name: Mapped[str | None] = mapped_column(String(80))
    record_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300), nullable=False)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)


class RetentionRun(db.Model):
    __tablename__ = "retention_runs"
    __table_args__ = (
        CheckConstraint("trigger IN ('cron', 'cli', 'staff')", name="trigger_known"),
        CheckConstraint("status IN ('running', 'finished', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False)
    trigger: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="running")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int | None] = mapped_column(Integer)


class RetentionRunItem(db.Model):
    """One target's line in a run's report: the category, the rule applied and the counts."""

    __tablename__ = "retention_run_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("retention_runs.id", ondelete="CASCADE"), nullable=False,
                                        index=True)
    target: Mapped[str] = mapped_column(String(80), nullable=False)
    category: Mapped[str] = mapped_column(String(60), nullable=False)
    activity_key: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(10), nullable=False)
    rule: Mapped[str | None] = mapped_column(String(80))
    cutoff: Mapped[datetime | None] = mapped_column(UTCDateTime())
    candidates: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    affected: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    held: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error: Mapped[str | None] = mapped_column(String(60))
