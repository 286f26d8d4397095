"""What a lead told us about their needs (marketing profile, 1:1 with the lead)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

INTEREST_AREAS = ("contacts", "sales_pipeline", "newsletter", "support", "reporting", "other")
COMPANY_TYPES = ("sole_trader", "small", "medium", "large", "public", "nonprofit")
DECISION_ROLES = ("decision_maker", "influencer", "user", "other")


def _one_of_or_null(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IS NULL OR {column} IN ({', '.join(repr(v) for v in values)})"


class LeadProfile(db.Model):
    __tablename__ = "lead_profiles"
    __table_args__ = (
        CheckConstraint(_one_of_or_null("interest_area", INTEREST_AREAS), name="interest_area_known"),
        CheckConstraint(_one_of_or_null("company_type", COMPANY_TYPES), name="company_type_known"),
        CheckConstraint(_one_of_or_null("decision_role", DECISION_ROLES), name="decision_role_known"),
        Index("ix_lead_profiles_interest_company", "interest_area", "company_type"),
    )

    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True,
                                         autoincrement=False)
    problem: Mapped[str | None] = mapped_column(Text, info=pii("text"))
    decision_criteria: Mapped[str | None] = mapped_column(Text, info=pii("text"))
    interest_area: Mapped[str | None] = mapped_column(String(20))
    industry: Mapped[str | None] = mapped_column(String(100), info=pii("text"))
    company_type: Mapped[str | None] = mapped_column(String(20))
    decision_role: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[str | None] = mapped_column(String(100), info=pii("text"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
