"""Operator-editable website texts and the supervisory authority's details (not tenant-owned)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db

PAGE_KEYS = ("home", "product", "pricing", "imprint")
LANGUAGES = ("de", "en", "hu")


class SitePage(TimestampMixin, db.Model):
    __tablename__ = "site_pages"
    __table_args__ = (CheckConstraint("key IN ('home', 'product', 'pricing', 'imprint')", name="key_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    title_de: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    title_en: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    title_hu: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    body_de: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_hu: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def title(self, language: str) -> str:
        return getattr(self, f"title_{language if language in LANGUAGES else 'en'}")

    def body(self, language: str) -> str:
        return getattr(self, f"body_{language if language in LANGUAGES else 'en'}")


class AuthorityDetails(TimestampMixin, db.Model):
    """The supervisory authority and the complaint route; one row, edited by privacy staff."""

    __tablename__ = "authority_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    web: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    complaint_de: Mapped[str] = mapped_column(Text, nullable=False, default="")
    complaint_en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    complaint_hu: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def complaint(self, language: str) -> str:
        return getattr(self, f"complaint_{language if language in LANGUAGES else 'en'}")
