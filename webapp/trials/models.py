"""Free trials: the terms (AGB) versions, each sign-up with the terms it accepted and every statement made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db

STATEMENT_KEYS = ("adult_and_authorised", "no_special_categories", "no_id_numbers", "customer_data_via_ui",
                  "consultants_via_invitation", "marketing_contact")


class TermsVersion(db.Model):
    __tablename__ = "terms_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    body_de: Mapped[str] = mapped_column(Text, nullable=False)
    body_en: Mapped[str] = mapped_column(Text, nullable=False)
    body_hu: Mapped[str] = mapped_column(Text, nullable=False)
    text_hash: Mapped[str] = mapped_column(String(64), nullable=False)


class TrialSignup(TimestampMixin, db.Model):
    __tablename__ = "trial_signups"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="SET NULL"), index=True)
    terms_version_id: Mapped[int] = mapped_column(ForeignKey("terms_versions.id", ondelete="RESTRICT"), nullable=False)
    form: Mapped[str] = mapped_column(String(60), nullable=False)

    statements: Mapped[list[TrialStatement]] = relationship(order_by="TrialStatement.id")


class TrialStatement(db.Model):
    """One statement of the sign-up's declaration, recorded on its own (given or not, and when)."""

    __tablename__ = "trial_statements"
    __table_args__ = (
        CheckConstraint("statement IN ('adult_and_authorised', 'no_special_categories', 'no_id_numbers', "
                        "'customer_data_via_ui', 'consultants_via_invitation', 'marketing_contact')",
                        name="statement_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("trial_signups.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    statement: Mapped[str] = mapped_column(String(40), nullable=False)
    given: Mapped[bool] = mapped_column(Boolean, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
