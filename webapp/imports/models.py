"""One ImportRecord per uploaded file: who, what, how it was read, mapped and checked, and the outcome.

The file itself and its rejection report live under ``INSTANCE_PATH/imports/<tenant>/`` (named by
``stored_name``) and are deleted after ``IMPORT_FILE_RETENTION_DAYS``; the record stays.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii
from webapp.tenancy import TenantOwned

STATUSES = ("uploaded", "queued", "running", "imported", "rejected", "failed")
MODES = ("all_or_nothing", "valid_rows")
MAPPABLE = ("uploaded", "rejected", "failed")  # a finished run that wrote nothing may be started again
DONE = ("imported", "rejected", "failed")


class ImportRecord(TenantOwned, TimestampMixin, db.Model):
    __tablename__ = "import_records"
    __table_args__ = (
        CheckConstraint("status IN ('uploaded', 'queued', 'running', 'imported', 'rejected', 'failed')",
                        name="status_known"),
        CheckConstraint("mode IN ('all_or_nothing', 'valid_rows')", name="mode_known"),
        CheckConstraint("file_format IN ('csv', 'xlsx')", name="format_known"),
        Index("ix_import_records_tenant_created", "tenant_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False, info=pii("text"))
    stored_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    file_format: Mapped[str] = mapped_column(String(10), nullable=False)
    encoding: Mapped[str | None] = mapped_column(String(20))
    encoding_guessed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    delimiter: Mapped[str | None] = mapped_column(String(1))
    headers_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    mapping_json: Mapped[str | None] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(20), nullable=False, default="all_or_nothing")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="uploaded")
    attempt: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    task_id: Mapped[str | None] = mapped_column(String(100))
    rows_read: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_params_json: Mapped[str | None] = mapped_column(Text)
    report_name: Mapped[str | None] = mapped_column(String(80))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    files_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def headers(self) -> list[str]:
        return json.loads(self.headers_json or "[]")

    @property
    def mapping(self) -> list[str] | None:
        return json.loads(self.mapping_json) if self.mapping_json else None

    @property
    def error_params(self) -> dict:
        return json.loads(self.error_params_json) if self.error_params_json else {}

    @property
    def done(self) -> bool:
        return self.status in DONE

    @property
    def mappable(self) -> bool:
        return self.status in MAPPABLE and self.files_deleted_at is None

    @property
    def has_report(self) -> bool:
        return bool(self.report_name) and self.rows_rejected > 0 and self.files_deleted_at is None
