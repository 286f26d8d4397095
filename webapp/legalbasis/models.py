"""The legal-basis ledger: for each person (lead) and purpose, which basis applies, since and until when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime, one_of
from webapp.extensions import db

PURPOSES = ("newsletter", "workshop", "trial", "marketing_contact", "contract", "invoicing")
BASES = ("consent", "legitimate_interest", "contract", "legal_obligation")


class LegalBasisEntry(db.Model):
    __tablename__ = "legal_basis_entries"
    __table_args__ = (
        CheckConstraint(one_of("purpose", PURPOSES), name="purpose_known"),
        CheckConstraint(one_of("basis", BASES), name="basis_known"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        # at most one basis in force per person and purpose
        Index("uq_legal_basis_open", "lead_id", "purpose", unique=True,
              postgresql_where=text("ended_at IS NULL"), sqlite_where=text("ended_at IS NULL")),
        Index("ix_legal_basis_lead_started", "lead_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    purpose: Mapped[str] = mapped_column(String(30), nullable=False)
    basis: Mapped[str] = mapped_column(String(30), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(60), nullable=False)
    end_reason: Mapped[str | None] = mapped_column(String(60))
