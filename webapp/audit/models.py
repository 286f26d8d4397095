"""Audit rows: one per change of an audited record; append-only.

``audit_log`` rows belong to a tenant (``TenantOwned``: every read is scoped). ``actor_user_id``
is a plain integer, not a foreign key: deleting an account must not rewrite the log (a
``SET NULL`` would be an UPDATE, which the database refuses).

The database guards the table (triggers from migration ``0006``, SQLite and PostgreSQL):

- UPDATE is refused, except a *redaction*: ``changes`` set to NULL with every other column
  unchanged (purge and erasure remove the values of a deleted record from its history);
- DELETE is refused unless the transaction holds a row in ``audit_log_unlock``
  (``webapp.audit.services.unlocked``), e.g. when a tenant is deleted (its rows cascade).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.tenancy import TenantOwned

ACTIONS = ("create", "update", "trash", "restore", "purge", "erase")
HARD_DELETES = ("purge", "erase")


class AuditEntry(TenantOwned, db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'trash', 'restore', 'purge', 'erase')",
                        name="action_known"),
        Index("ix_audit_log_tenant_newest", "tenant_id", "id"),
        Index("ix_audit_log_tenant_record", "tenant_id", "record_type", "record_id", "id"),
        Index("ix_audit_log_tenant_occurred_at", "tenant_id", "occurred_at"),
        Index("ix_audit_log_tenant_batch", "tenant_id", "batch_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_job: Mapped[str | None] = mapped_column(String(80))
    record_type: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    action: Mapped[str] = mapped_column(String(10), nullable=False)
    # {"field": [before, after]}; NULL for purge/erase rows and after a redaction.
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    batch_id: Mapped[str | None] = mapped_column(String(32))
    via: Mapped[str | None] = mapped_column(String(60))  # "company:12": done along with that record
    note: Mapped[str | None] = mapped_column(String(200))

    @property
    def redacted(self) -> bool:
        return self.changes is None and self.action not in HARD_DELETES


class AuditUnlock(db.Model):
    """While a transaction holds a row here, the DELETE guard on ``audit_log`` lets it delete.
    Other transactions never see the uncommitted row; ``unlocked()`` removes it before commit."""

    __tablename__ = "audit_log_unlock"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    reason: Mapped[str] = mapped_column(String(60), nullable=False)
