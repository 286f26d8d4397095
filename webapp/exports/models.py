"""The export log: one row per export, kept after its file is deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.tenancy import TenantOwned

FORMATS = ("csv", "xlsx", "xml")
ENTITIES = ("contacts", "companies")


class ExportRecord(TenantOwned, TimestampMixin, db.Model):
    __tablename__ = "exports"
    __table_args__ = (
        CheckConstraint("format IN ('csv', 'xlsx', 'xml')", name="format_known"),
        CheckConstraint("entity IN ('contacts', 'companies')", name="entity_known"),
        CheckConstraint("row_count IS NULL OR row_count >= 0", name="row_count_not_negative"),
        Index("ix_exports_tenant_created", "tenant_id", "created_at"),
        {"sqlite_autoincrement": True},  # ids are never reused: the job id "export-<id>" stays unique
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    format: Mapped[str] = mapped_column(String(10), nullable=False)
    filters: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    file_path: Mapped[str] = mapped_column(String(200), nullable=False)  # relative to INSTANCE_PATH/exports
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    task_id: Mapped[str | None] = mapped_column(String(100))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    row_count: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requested_by: Mapped[User | None] = relationship()
