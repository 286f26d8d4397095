"""Records of processing (GDPR Art. 30) as data: one row per activity, every change a version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime, one_of
from webapp.extensions import db
from webapp.processing.catalogue import CLOCKS, LEGAL_BASES, UNITS


class ProcessingActivity(TimestampMixin, db.Model):
    __tablename__ = "processing_activities"
    __table_args__ = (
        CheckConstraint(one_of("legal_basis", LEGAL_BASES), name="legal_basis_known"),
        CheckConstraint(one_of("clock", CLOCKS), name="clock_known"),
        CheckConstraint(one_of("unit", UNITS), name="unit_known"),
        CheckConstraint("period > 0", name="period_positive"),
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    title_en: Mapped[str] = mapped_column(String(200), nullable=False)
    title_de: Mapped[str] = mapped_column(String(200), nullable=False)
    title_hu: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    categories: Mapped[list] = mapped_column(JSON, nullable=False)
    legal_basis: Mapped[str] = mapped_column(String(30), nullable=False)
    recipients: Mapped[list] = mapped_column(JSON, nullable=False)
    transfers: Mapped[list] = mapped_column(JSON, nullable=False)
    clock: Mapped[str] = mapped_column(String(30), nullable=False)
    period: Mapped[int] = mapped_column(Integer, nullable=False)
    unit: Mapped[str] = mapped_column(String(10), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    def title(self, locale: str) -> str:
        return getattr(self, f"title_{locale}", None) or self.title_en


class ProcessingVersion(db.Model):
    """One change of an activity: who, when, the values before and after (version 1: the seed)."""

    __tablename__ = "processing_versions"
    __table_args__ = (UniqueConstraint("activity_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("processing_activities.id", ondelete="CASCADE"),
                                             nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON, nullable=False)
