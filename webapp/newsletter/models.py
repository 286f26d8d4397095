"""Newsletter subscriptions (double opt-in) and the evidence of each step; campaigns sent to subscribers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.leads.models import Lead

STATES = ("pending", "confirmed", "unsubscribed")
STEPS = ("requested", "confirmed", "unsubscribed", "contact_stopped")


class NewsletterSubscription(TimestampMixin, db.Model):
    __tablename__ = "newsletter_subscriptions"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'confirmed', 'unsubscribed')", name="state_known"),
        CheckConstraint("(state = 'confirmed') = (confirmed_at IS NOT NULL AND unsubscribed_at IS NULL)",
                        name="confirmed_has_time"),
        Index("ix_newsletter_subscriptions_state", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, unique=True)
    state: Mapped[str] = mapped_column(String(15), nullable=False, default="pending")
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # optional and separate: links in newsletters count as an interaction (a first-party redirect)
    click_tracking: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    lead: Mapped[Lead] = relationship()


class SignupEvidence(db.Model):
    """What a person agreed to, when, under which notice version, through which form. Never an IP."""

    __tablename__ = "signup_evidence"
    __table_args__ = (
        CheckConstraint("step IN ('requested', 'confirmed', 'unsubscribed', 'contact_stopped')", name="step_known"),
        Index("ix_signup_evidence_lead_at", "lead_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    step: Mapped[str] = mapped_column(String(15), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    notice_version: Mapped[int | None] = mapped_column(Integer)
    notice_hash: Mapped[str | None] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(String(60), nullable=False)
    locale: Mapped[str] = mapped_column(String(5), nullable=False)


class Campaign(TimestampMixin, db.Model):
    __tablename__ = "newsletter_campaigns"
    __table_args__ = (CheckConstraint("length(trim(subject)) > 0", name="subject_not_blank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    base_url: Mapped[str] = mapped_column(String(200), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    task_id: Mapped[str | None] = mapped_column(String(100))
    sent_count: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
