"""Leads of the operator's own sales pipeline (newsletter, workshop, trial, subscription)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

LEAD_SOURCES = ("newsletter", "workshop", "trial", "subscription")


class Lead(TimestampMixin, db.Model):
    __tablename__ = "leads"
    __table_args__ = (
        CheckConstraint("source IN ('newsletter', 'workshop', 'trial', 'subscription')", name="source_known"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        Index("ix_leads_source_last_interaction", "source", "last_interaction_at"),
        Index("uq_leads_email", "email", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, info=pii("name"))
    email: Mapped[str] = mapped_column(String(254), nullable=False, info=pii("email"))
    phone: Mapped[str | None] = mapped_column(String(32), info=pii("phone"))
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    last_interaction_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    contact_stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    restricted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # Art. 18: kept, not used
    marketing_objection_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # Art. 21(2)
