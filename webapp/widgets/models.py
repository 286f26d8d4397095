"""Sites allowed to embed the sign-up widgets (CSP frame-ancestors), kept by the operator."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin
from webapp.extensions import db


class WidgetOrigin(TimestampMixin, db.Model):
    __tablename__ = "widget_origins"
    __table_args__ = (CheckConstraint("origin LIKE 'http%://%'", name="origin_is_http"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
