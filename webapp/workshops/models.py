"""Free workshop sign-ups: each becomes a booking request for the consultants, then an appointment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.leads.models import Lead
from webapp.pii import pii

REQUEST_STATES = ("open", "booked", "closed")


class BookingRequest(TimestampMixin, db.Model):
    __tablename__ = "workshop_requests"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'booked', 'closed')", name="state_known"),
        Index("ix_workshop_requests_state_created", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    topic: Mapped[str | None] = mapped_column(String(300), info=pii("text"))
    closed_reason: Mapped[str | None] = mapped_column(String(30))

    lead: Mapped[Lead] = relationship()
    appointments: Mapped[list[Appointment]] = relationship(back_populates="request", order_by="Appointment.starts_at")


class Appointment(TimestampMixin, db.Model):
    __tablename__ = "workshop_appointments"
    __table_args__ = (
        CheckConstraint("state IN ('planned', 'held', 'cancelled')", name="state_known"),
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 480", name="duration_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("workshop_requests.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    duration_minutes: Mapped[int] = mapped_column(nullable=False, default=60)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="planned")

    request: Mapped[BookingRequest] = relationship(back_populates="appointments")
