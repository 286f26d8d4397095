"""Invitations: a tenant admin asks someone to join; the link in the e-mail works once, for 7 days.

Like ``users``, the table is account data, not customer data: it is not ``TenantOwned`` because
the public acceptance page finds a row by its token before any tenant is known. Every query of
a tenant admin names the tenant explicitly (``invitations.pending_for``). Only a SHA-256 of the
token is stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii


class Invitation(TimestampMixin, db.Model):
    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'user')", name="role_known"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        Index("ix_invitations_tenant_id_email", "tenant_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False, info=pii("email"))
    name: Mapped[str] = mapped_column(String(200), nullable=False, info=pii("name"))
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
