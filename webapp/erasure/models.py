"""Erasure receipts: what was erased and what was kept, by table count and ground code; no personal data.

``subject_hash`` is ``crypto.keyed_hash("erasure-subject", email)``: it finds the person again after a
backup restore (the replay list) without storing the address. ``notice_email_id`` is a plain integer
(the notice's outbox row is deleted once sent, see ``services.scrub_sent_notices``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime
from webapp.extensions import db

KINDS = ("erasure", "replay")
OUTCOMES = ("complete", "partial", "refused", "nothing")


class ErasureReceipt(db.Model):
    __tablename__ = "erasure_receipts"
    __table_args__ = (
        CheckConstraint("kind IN ('erasure', 'replay')", name="kind_known"),
        CheckConstraint("outcome IN ('complete', 'partial', 'refused', 'nothing')", name="outcome_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="erasure")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("data_requests.id", ondelete="SET NULL"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    subject_hash: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    outcome: Mapped[str] = mapped_column(String(10), nullable=False)
    counts: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    grounds: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    notice_email_id: Mapped[int | None] = mapped_column(Integer)
