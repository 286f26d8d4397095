"""The transfer log (Art. 30, 19 GDPR): every disclosure of a person's data, one row per person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

RECIPIENT_KINDS = ("processor", "authority", "new_operator", "other")
BASES = ("consent", "contract", "legal_obligation", "legitimate_interest", "vital_interest", "public_task")


class Transfer(db.Model):
    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("recipient_kind IN ('processor', 'authority', 'new_operator', 'other')",
                        name="recipient_kind_known"),
        CheckConstraint("legal_basis IN ('consent', 'contract', 'legal_obligation', 'legitimate_interest', "
                        "'vital_interest', 'public_task')", name="legal_basis_known"),
        CheckConstraint("subject_email IS NOT NULL OR subject_phone IS NOT NULL OR subject_user_id IS NOT NULL",
                        name="names_a_person"),
        Index("ix_transfers_at", "at", "id"),
        Index("ix_transfers_subject_email", "subject_email"),
        Index("ix_transfers_subject_phone", "subject_phone"),
        Index("uq_transfers_reference", "reference", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    recipient_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    recipient: Mapped[str] = mapped_column(String(200), nullable=False)
    legal_basis: Mapped[str] = mapped_column(String(30), nullable=False)
    purpose: Mapped[str] = mapped_column(String(60), nullable=False)
    data_description: Mapped[str] = mapped_column(String(300), nullable=False)
    subject_email: Mapped[str | None] = mapped_column(String(254), info=pii("email"))
    subject_phone: Mapped[str | None] = mapped_column(String(32), info=pii("phone"))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reference: Mapped[str | None] = mapped_column(String(60))  # e.g. "sms:42": the same send is logged once
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
