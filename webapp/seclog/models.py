"""Security log rows (two hash chains) and the head of each chain.

``user_id`` and ``tenant_id`` are plain integers, not foreign keys: a cascade or SET NULL from
a deleted account would rewrite hashed rows and break the chain; the rows expire by retention.
No column holds an IP address or a user agent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

GENESIS_HASH = "0" * 64


class SecurityEvent(db.Model):
    """One entry; ``hash = sha256(prev_hash || canonical JSON of the entry)`` (see ``entries``)."""

    __tablename__ = "security_log"
    __table_args__ = (
        CheckConstraint("chain IN ('detailed', 'security')", name="chain_known"),
        # One successor per entry: two writers can never fork a chain.
        UniqueConstraint("chain", "prev_hash"),
        UniqueConstraint("entry_id"),
        Index("ix_security_log_chain_occurred_at", "chain", "occurred_at"),
    )

    chain: Mapped[str] = mapped_column(String(10), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(32), nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    tenant_id: Mapped[int | None] = mapped_column(Integer)
    endpoint: Mapped[str | None] = mapped_column(String(120))
    method: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[int | None] = mapped_column(SmallInteger)
    browser_id: Mapped[str | None] = mapped_column(String(32), info=pii("identifier"))
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class ChainHead(db.Model):
    """The last seq and hash of each chain; appenders lock this row, verify checks the tail."""

    __tablename__ = "security_log_heads"
    __table_args__ = (CheckConstraint("chain IN ('detailed', 'security')", name="chain_known"),)

    chain: Mapped[str] = mapped_column(String(10), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
