"""Sub-processors of the operator and the history of every change to the registry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp import clock
from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db

LANGUAGES = ("de", "en", "hu")
TEXT_FIELDS = tuple(f"{field}_{language}" for field in ("data_stored", "activities") for language in LANGUAGES)
EDITABLE_FIELDS = ("name", "address", "phone", "email", "web", *TEXT_FIELDS, "third_country", "position")


class Subprocessor(TimestampMixin, db.Model):
    __tablename__ = "subprocessors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    web: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    data_stored_de: Mapped[str] = mapped_column(Text, nullable=False, default="")
    data_stored_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    data_stored_hu: Mapped[str] = mapped_column(Text, nullable=False, default="")
    activities_de: Mapped[str] = mapped_column(Text, nullable=False, default="")
    activities_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    activities_hu: Mapped[str] = mapped_column(Text, nullable=False, default="")
    third_country: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def data_stored(self, language: str) -> str:
        return getattr(self, f"data_stored_{language if language in LANGUAGES else 'en'}") or self.data_stored_en

    def activities(self, language: str) -> str:
        return getattr(self, f"activities_{language if language in LANGUAGES else 'en'}") or self.activities_en

    def snapshot(self) -> dict:
        return {field: getattr(self, field) for field in EDITABLE_FIELDS}


class SubprocessorChange(db.Model):
    __tablename__ = "subprocessor_changes"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action_known"),
        Index("ix_subprocessor_changes_changed_at", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subprocessor_id: Mapped[int | None] = mapped_column(ForeignKey("subprocessors.id", ondelete="SET NULL"),
                                                        index=True)
    subprocessor_name: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(10), nullable=False)
    before: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=lambda: clock.now())

    changed_by = relationship("User")
