"""Raw page views (kept ANALYTICS_RAW_DAYS) and daily roll-ups (aggregates without any id).

Operator-level data, not tenant-owned. Never an IP address, a hash of one or a physical address:
the only identifiers are the random visitor id from the first-party ``bz_vid`` cookie and the
pseudonymous consent id, both declared as personal data.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

PATH_MAX, HOST_MAX, UTM_MAX, FAMILY_MAX = 300, 253, 100, 50
DEVICE_TYPES = ("desktop", "mobile", "tablet", "other")
DIMENSIONS = ("total", "path", "source", "medium", "campaign", "device", "os", "browser")
VALUE_MAX = PATH_MAX


class PageView(db.Model):
    """One page view of a visitor who consented to analytics."""

    __tablename__ = "analytics_page_views"
    __table_args__ = (
        CheckConstraint("device_type IN ('desktop', 'mobile', 'tablet', 'other')", name="device_known"),
        Index("ix_analytics_page_views_viewed_at", "viewed_at"),
        Index("ix_analytics_page_views_consent_id", "consent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    path: Mapped[str] = mapped_column(String(PATH_MAX), nullable=False)
    referrer_host: Mapped[str | None] = mapped_column(String(HOST_MAX))
    utm_source: Mapped[str | None] = mapped_column(String(UTM_MAX))
    utm_medium: Mapped[str | None] = mapped_column(String(UTM_MAX))
    utm_campaign: Mapped[str | None] = mapped_column(String(UTM_MAX))
    device_type: Mapped[str] = mapped_column(String(10), nullable=False)
    os_family: Mapped[str] = mapped_column(String(FAMILY_MAX), nullable=False)
    browser_family: Mapped[str] = mapped_column(String(FAMILY_MAX), nullable=False)
    visitor_id: Mapped[str] = mapped_column(String(32), nullable=False, info=pii("identifier"))
    consent_id: Mapped[str | None] = mapped_column(String(32), info=pii("identifier"))
    is_new_visitor: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DailyRollup(db.Model):
    """Page views, daily visitors and new visitors of one UTC day, per value of one dimension."""

    __tablename__ = "analytics_daily"
    __table_args__ = (
        CheckConstraint("dimension IN ('total', 'path', 'source', 'medium', 'campaign', 'device', 'os', "
                        "'browser')", name="dimension_known"),
        UniqueConstraint("dimension", "day", "value"),  # also the index of every dashboard query
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    dimension: Mapped[str] = mapped_column(String(10), nullable=False)
    value: Mapped[str] = mapped_column(String(VALUE_MAX), nullable=False)
    views: Mapped[int] = mapped_column(Integer, nullable=False)
    visitors: Mapped[int] = mapped_column(Integer, nullable=False)
    new_visitors: Mapped[int] = mapped_column(Integer, nullable=False)
    # when the raw rows were counted: today's roll-up is refreshed every few minutes, and the
    # dashboard adds the raw rows viewed since
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
