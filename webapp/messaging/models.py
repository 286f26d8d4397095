"""Outboxes: every e-mail and SMS is a row first, written in the business transaction.

Both tables share the delivery bookkeeping of ``DeliveryMixin``: a state, the number of
attempts, when the next one is due, when the last one started (a claim) and its error.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from webapp import clock
from webapp.db import TimestampMixin, UTCDateTime, one_of
from webapp.extensions import db
from webapp.pii import pii

EMAIL_STATES = ("pending", "sending", "sent", "failed")
EMAIL_CATEGORIES = ("transactional", "marketing")
EMAIL_TRANSPORTS = ("smtp", "outbox")
SMS_STATES = ("pending", "sending", "sent", "delivered", "failed")
SMS_ROUTES = ("domestic", "international")
SMS_PROVIDERS = ("domestic", "international", "outbox")


class DeliveryMixin(TimestampMixin):
    """State and retry bookkeeping shared by the e-mail and SMS outboxes."""

    state: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=lambda: clock.now())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def user_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)


class OutboxEmail(DeliveryMixin, db.Model):
    __tablename__ = "outbox_emails"
    __table_args__ = (
        CheckConstraint(one_of("state", EMAIL_STATES), name="state_known"),
        CheckConstraint(one_of("category", EMAIL_CATEGORIES), name="category_known"),
        CheckConstraint(one_of("transport", EMAIL_TRANSPORTS, nullable=True), name="transport_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_outbox_emails_state_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), nullable=False, info=pii("email"))
    subject: Mapped[str] = mapped_column(String(500), nullable=False, info=pii("text"))
    text_body: Mapped[str] = mapped_column(Text, nullable=False, info=pii("text"))
    html_body: Mapped[str | None] = mapped_column(Text, info=pii("text"))
    headers: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    category: Mapped[str] = mapped_column(String(20), nullable=False, default="transactional")
    message_id: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    transport: Mapped[str | None] = mapped_column(String(10))


class SmsMessage(DeliveryMixin, db.Model):
    __tablename__ = "sms_messages"
    __table_args__ = (
        CheckConstraint(one_of("state", SMS_STATES), name="state_known"),
        CheckConstraint(one_of("route", SMS_ROUTES), name="route_known"),
        CheckConstraint(one_of("provider", SMS_PROVIDERS, nullable=True), name="provider_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_sms_messages_state_due", "state", "next_attempt_at"),
        Index("ix_sms_messages_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_number: Mapped[str] = mapped_column(String(16), nullable=False, info=pii("phone"))
    body: Mapped[str] = mapped_column(Text, nullable=False, info=pii("text"))
    purpose: Mapped[str] = mapped_column(String(40), nullable=False)
    route: Mapped[str] = mapped_column(String(20), nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    provider: Mapped[str | None] = mapped_column(String(20))
    provider_message_id: Mapped[str | None] = mapped_column(String(100), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    body_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
