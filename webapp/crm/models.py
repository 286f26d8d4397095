"""CRM records owned by a tenant: companies and contacts (persons)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import TimestampMixin, UTCDateTime
from webapp.extensions import db
from webapp.pii import pii
from webapp.tenancy import TenantOwned

SEARCH_COLUMNS = ("last_name", "first_name", "email", "phone")  # of contacts, in one trigram index


class Company(TenantOwned, TimestampMixin, db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        Index("ix_companies_tenant_name", "tenant_id", "name", "id"),
        # active search: trigram GIN on PostgreSQL (migration 0014), a plain index on SQLite
        Index("ix_companies_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
        # the newest-first list, and the city branch of the companies' active search (migration 0012)
        Index("ix_companies_tenant_created", "tenant_id", "created_at", "id"),
        Index("ix_companies_city_trgm", "city", postgresql_using="gin", postgresql_ops={"city": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    website: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32), info=pii("phone"))  # a sole trader's own number
    street: Mapped[str | None] = mapped_column(String(200), info=pii("address"))
    postcode: Mapped[str | None] = mapped_column(String(16))


class Contact(TenantOwned, TimestampMixin, db.Model):
    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("length(trim(last_name)) > 0", name="last_name_not_blank"),
        Index("ix_contacts_tenant_name", "tenant_id", "last_name", "first_name", "id"),
        Index("ix_contacts_tenant_email", "tenant_id", "email"),
        # active search (ILIKE 'term%', phone LIKE '%digits%'): trigram GIN on PostgreSQL (migration 0014)
        Index("ix_contacts_search_trgm", *SEARCH_COLUMNS, postgresql_using="gin",
              postgresql_ops=dict.fromkeys(SEARCH_COLUMNS, "gin_trgm_ops")),
        # the search branches' index-only range scans (webapp.crm.search), live contacts only
        Index("ix_contacts_search_live_name", "tenant_id", "last_name", "first_name", "id",
              postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),
        Index("ix_contacts_search_live_email", "tenant_id", "email", "last_name", "first_name", "id",
              postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),
        Index("ix_contacts_search_live_first", "tenant_id", "first_name", "last_name", "id",
              postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),
        # live contacts, newest first: the overview's count and "recently added" read only this index
        Index("ix_contacts_tenant_live_created", "tenant_id", "created_at", "id",
              postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),
        # filled by a database trigger with lower(email) only in tenants with unique e-mails on
        # (CrmSettings.unique_email); trashed contacts keep their key, so a restore never collides
        Index("uq_contacts_tenant_email_key", "tenant_id", "email_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False, default="", info=pii("name"))
    last_name: Mapped[str] = mapped_column(String(100), nullable=False, info=pii("name"))
    email: Mapped[str | None] = mapped_column(String(254), info=pii("email"))
    phone: Mapped[str | None] = mapped_column(String(32), info=pii("phone"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_key: Mapped[str | None] = mapped_column(String(254), info=pii("email"))  # set by the database only

    company: Mapped[Company | None] = relationship()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CrmSettings(TenantOwned, db.Model):
    """Per-tenant CRM options; one row per tenant (absent = defaults)."""

    __tablename__ = "crm_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    unique_email: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("uq_crm_settings_tenant", "tenant_id", unique=True),)
