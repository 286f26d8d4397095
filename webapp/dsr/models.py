"""Requests of data subjects (GDPR Art. 15–22): received, checked, answered within their deadline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import UTCDateTime, one_of
from webapp.extensions import db
from webapp.pii import pii

KINDS = ("access", "rectification", "erasure", "restriction", "portability", "objection", "withdrawal",
         "stop_contact")
STATES = ("received", "in_progress", "extended", "done", "refused")
CHANNELS = ("portal", "letter", "email", "phone")
IDENTITY_CHECKS = ("one_time_link", "signed_in", "registered_address", "extra_verification")


class DataRequest(db.Model):
    __tablename__ = "data_requests"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(one_of("state", STATES), name="state_known"),
        CheckConstraint(one_of("channel", CHANNELS), name="channel_known"),
        CheckConstraint(one_of("identity_check", IDENTITY_CHECKS), name="identity_check_known"),
        CheckConstraint("extended_due_on IS NULL OR (extended_due_on > due_on AND extension_reason IS NOT NULL)",
                        name="extension_has_reason"),
        CheckConstraint("(state IN ('done', 'refused')) = (closed_at IS NOT NULL)", name="closed_has_time"),
        Index("ix_data_requests_open_due", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False, index=True, info=pii("email"))
    state: Mapped[str] = mapped_column(String(15), nullable=False, default="received")
    channel: Mapped[str] = mapped_column(String(10), nullable=False)
    identity_check: Mapped[str] = mapped_column(String(20), nullable=False)
    identity_note: Mapped[str | None] = mapped_column(String(300), info=pii("text"))
    details: Mapped[str | None] = mapped_column(Text, info=pii("text"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    extended_due_on: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(String(500))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(500))
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    events: Mapped[list[DataRequestEvent]] = relationship(order_by="DataRequestEvent.id", back_populates="request",
                                                          cascade="all, delete-orphan")

    @property
    def deadline(self) -> date:
        return self.extended_due_on or self.due_on


class DataRequestEvent(db.Model):
    """Every action on a request: who, when, what (append-only in practice: no route edits these)."""

    __tablename__ = "data_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_requests.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))

    request: Mapped[DataRequest] = relationship(back_populates="events")
