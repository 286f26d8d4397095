"""Tenants: the customer companies of the CRM product."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db

TENANT_STATES = ("trial", "subscribed", "closed")


class Tenant(TimestampMixin, db.Model):
    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint("state IN ('trial', 'subscribed', 'closed')", name="state_known"),
        CheckConstraint("(state = 'closed') = (closed_at IS NOT NULL)", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    slug: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="trial")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    require_2fa: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
