"""One row per access report or portability file: who it is for, where the file is, how it is fetched.

The file lives under ``INSTANCE_PATH/reports`` (never web-served); the link token is stored only as its
hash; a row and its file are purged once the link has expired."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp import clock
from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

KINDS = ("access", "portability")
FORMATS = {"access": ("html", "json", "xml"), "portability": ("csv", "xlsx", "xml")}


class SubjectReport(db.Model):
    __tablename__ = "subject_reports"
    __table_args__ = (
        CheckConstraint("kind IN ('access', 'portability')", name="kind_known"),
        CheckConstraint("(kind = 'access' AND format IN ('html', 'json', 'xml')) OR "
                        "(kind = 'portability' AND format IN ('csv', 'xlsx', 'xml'))", name="format_fits_kind"),
        {"sqlite_autoincrement": True},  # ids are never reused: the job id "report-<id>" stays unique
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("data_requests.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    format: Mapped[str] = mapped_column(String(5), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False, index=True, info=pii("email"))
    task_id: Mapped[str | None] = mapped_column(String(100))
    file_path: Mapped[str] = mapped_column(String(200), nullable=False)  # relative to INSTANCE_PATH/reports
    sha256: Mapped[str | None] = mapped_column(String(64))  # set when the file is complete
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=lambda: clock.now())

    @property
    def single_use(self) -> bool:
        return self.kind == "portability"
