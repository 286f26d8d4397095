"""Integrations switched on by a tenant, with the admin's explicit consent where data leaves the EU."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.tenancy import TenantOwned


class TenantIntegration(TenantOwned, db.Model):
    __tablename__ = "tenant_integrations"
    __table_args__ = (
        Index("uq_tenant_integrations_active", "tenant_id", "key", unique=True,
              postgresql_where=text("disabled_at IS NULL"), sqlite_where=text("disabled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    enabled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    third_country: Mapped[bool] = mapped_column(nullable=False, default=False)
    consent_text_hash: Mapped[str | None] = mapped_column(String(64))  # what the admin agreed to, for evidence
    feed_token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
