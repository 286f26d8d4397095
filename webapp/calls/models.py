"""Call log entries: metadata only, never the recording itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

DIRECTIONS = ("inbound", "outbound")
MAX_DURATION_SECONDS = 24 * 3600


class CallLog(TimestampMixin, db.Model):
    __tablename__ = "call_logs"
    __table_args__ = (
        CheckConstraint("direction IN ('inbound', 'outbound')", name="direction_known"),
        CheckConstraint(f"duration_seconds >= 0 AND duration_seconds <= {MAX_DURATION_SECONDS}",
                        name="duration_in_range"),
        # only inbound calls are recorded, and only after the caller heard the announcement
        CheckConstraint("NOT recorded OR (direction = 'inbound' AND announced)", name="recording_announced"),
        Index("ix_call_logs_lead_started", "lead_id", "started_at"),
        Index("ix_call_logs_started", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(10), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    duration_seconds: Mapped[int] = mapped_column(Integer, nullable=False)
    announced: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    recorded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    review: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    notes: Mapped[str | None] = mapped_column(Text, info=pii("text"))
