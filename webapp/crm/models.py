"""CRM records owned by a tenant: companies and contacts (persons)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.tenancy import TenantOwned


class Company(TenantOwned, TimestampMixin, db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        Index("ix_companies_tenant_name", "tenant_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Contact(TenantOwned, TimestampMixin, db.Model):
    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("length(trim(last_name)) > 0", name="last_name_not_blank"),
        Index("ix_contacts_tenant_name", "tenant_id", "last_name", "first_name", "id"),
        Index("ix_contacts_tenant_email", "tenant_id", "email"),
        # live contacts, newest first: the overview's count and "recently added" read only this index
        Index("ix_contacts_tenant_live_created", "tenant_id", "created_at", "id",
              postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    company: Mapped[Company | None] = relationship()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
