"""Subscriptions of tenants and the operator's invoices (immutable once issued).

Invoices are operator records about its customers, kept under a legal obligation: they are not
tenant-owned data and survive an erasure request. The database itself refuses to change an issued
invoice or its lines, and to delete one before the legal minimum has passed (triggers in 0020).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii

PLAN_KEYS = ("starter", "team", "business")
INVOICE_STATES = ("draft", "issued")


class Subscription(TimestampMixin, db.Model):
    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("plan IN ('starter', 'team', 'business')", name="plan_known"),
        CheckConstraint("seats > 0 AND seats <= 1000", name="seats_in_range"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index("ix_subscriptions_tenant_starts", "tenant_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    plan: Mapped[str] = mapped_column(String(20), nullable=False)
    seats: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Invoice(TimestampMixin, db.Model):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'issued')", name="state_known"),
        CheckConstraint("(state = 'issued') = (number IS NOT NULL AND issued_on IS NOT NULL)",
                        name="issued_has_number"),
        CheckConstraint("net_cents >= 0 AND vat_cents >= 0 AND gross_cents = net_cents + vat_cents",
                        name="totals_add_up"),
        CheckConstraint("currency IN ('HUF', 'EUR')", name="currency_known"),
        UniqueConstraint("year", "sequence", name="uq_invoices_year_sequence"),
        Index("ix_invoices_tenant_issued", "tenant_id", "issued_on"),
        Index("ix_invoices_customer_issued", "customer_ref", "issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="SET NULL"))
    # who the invoice is for, beyond the life of the tenant row: the retention clock runs per customer
    customer_ref: Mapped[str] = mapped_column(String(40), nullable=False)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    year: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="HUF")
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    supplier_address: Mapped[str | None] = mapped_column(String(400))
    supplier_tax_number: Mapped[str | None] = mapped_column(String(40))
    customer_name: Mapped[str] = mapped_column(String(200), nullable=False, info=pii("name"))
    customer_company: Mapped[str | None] = mapped_column(String(200), info=pii("name"))
    customer_address: Mapped[str] = mapped_column(String(400), nullable=False, info=pii("address"))
    customer_email: Mapped[str | None] = mapped_column(String(254), info=pii("email"))
    customer_tax_number: Mapped[str | None] = mapped_column(String(40), info=pii("identifier"))
    net_cents: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    vat_cents: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    gross_cents: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)

    lines: Mapped[list[InvoiceLine]] = relationship(order_by="InvoiceLine.position", back_populates="invoice",
                                                    cascade="all, delete-orphan")


class InvoiceLine(db.Model):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_net_cents >= 0", name="price_not_negative"),
        CheckConstraint("vat_rate_bp >= 0 AND vat_rate_bp <= 10000", name="vat_rate_in_range"),
        CheckConstraint("net_cents = quantity * unit_net_cents", name="net_is_quantity_times_price"),
        UniqueConstraint("invoice_id", "position", name="uq_invoice_lines_invoice_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(String(300), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_net_cents: Mapped[int] = mapped_column(BigInteger, nullable=False)
    vat_rate_bp: Mapped[int] = mapped_column(Integer, nullable=False)
    net_cents: Mapped[int] = mapped_column(BigInteger, nullable=False)
    vat_cents: Mapped[int] = mapped_column(BigInteger, nullable=False)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")
