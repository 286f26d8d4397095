"""Consent evidence (one row per decision) and the operator's marketing-tag settings.

Operator-level data, not tenant-owned. A decision never stores an IP address or user agent:
only the pseudonymous consent id from the visitor's first-party cookie.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

METHODS = ("banner", "settings", "gpc")
ACTIONS = ("accept_all", "reject_all", "choose", "withdraw", "gpc_refusal")


class ConsentDecision(db.Model):
    """One decision of one visitor: what was granted or refused, under which notice, how and when."""

    __tablename__ = "consent_decisions"
    __table_args__ = (
        CheckConstraint("method IN ('banner', 'settings', 'gpc')", name="method_known"),
        CheckConstraint("action IN ('accept_all', 'reject_all', 'choose', 'withdraw', 'gpc_refusal')",
                        name="action_known"),
        Index("ix_consent_decisions_consent_id_decided", "consent_id", "decided_at"),
        Index("ix_consent_decisions_decided_at", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[str] = mapped_column(String(32), nullable=False, info=pii("identifier"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    action: Mapped[str] = mapped_column(String(12), nullable=False)
    gpc: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # {"necessary": true, "analytics": false, "marketing": true}
    categories: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # sorted keys of the granted services
    services: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    notice_version_id: Mapped[int | None] = mapped_column(Integer)
    notice_number: Mapped[int | None] = mapped_column(Integer)
    notice_hash: Mapped[str | None] = mapped_column(String(64))

    def granted(self, category: str) -> bool:
        return bool(self.categories.get(category))


class MarketingTagSettings(db.Model):
    """The marketing tags the operator runs (a single row, edited by staff)."""

    __tablename__ = "marketing_tag_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    google_ads_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    google_ads_id: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    google_ads_conversion_label: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    facebook_pixel_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    facebook_pixel_id: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
