"""Privacy-notice versions: a draft becomes an immutable published version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db

NOTICE_STATES = ("draft", "published")
NOTICE_LANGUAGES = ("de", "en", "hu")
CONSENT_CATEGORIES = ("necessary", "analytics", "marketing")


class NoticeVersion(TimestampMixin, db.Model):
    __tablename__ = "notice_versions"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'published')", name="state_known"),
        CheckConstraint("state = 'draft' OR (published_at IS NOT NULL AND text_hash IS NOT NULL)",
                        name="published_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    body_de: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_hu: Mapped[str] = mapped_column(Text, nullable=False, default="")
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    changed_categories: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text_hash: Mapped[str | None] = mapped_column(String(64))

    published_by = relationship("User", foreign_keys=[published_by_id])
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def is_published(self) -> bool:
        return self.state == "published"

    def body(self, language: str) -> str:
        return getattr(self, f"body_{language}") if language in NOTICE_LANGUAGES else self.body_en
