"""Saved segments (a name and a validated filter) and the segment a campaign targets."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin
from webapp.extensions import db


class Segment(TimestampMixin, db.Model):
    __tablename__ = "segments"
    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    filters: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CampaignSegment(db.Model):
    """A campaign sent to a segment (no row: to all subscribers). The filter is applied at send time."""

    __tablename__ = "campaign_segments"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("newsletter_campaigns.id", ondelete="CASCADE"),
                                             primary_key=True, autoincrement=False)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="RESTRICT"), nullable=False,
                                            index=True)

    segment: Mapped[Segment] = relationship()
