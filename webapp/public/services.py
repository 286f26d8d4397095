"""What the home page shows a signed-in person."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.crm.models import Company, Contact
from webapp.extensions import db


@dataclass(frozen=True)
class Overview:
    tenant_name: str | None
    contacts: int
    companies: int
    recent: list


def workspace_overview(user) -> Overview:
    """Counts and newest contacts of the signed-in user's tenant (scoped by webapp.tenancy)."""
    if user.tenant_id is None:
        return Overview(tenant_name=None, contacts=0, companies=0, recent=[])
    live_contacts = select(Contact).where(Contact.deleted_at.is_(None))
    contacts = db.session.scalar(select(func.count(Contact.id)).where(Contact.deleted_at.is_(None)))
    companies = db.session.scalar(select(func.count(Company.id)).where(Company.deleted_at.is_(None)))
    recent = db.session.scalars(live_contacts.order_by(Contact.created_at.desc(), Contact.id.desc()).limit(5)).all()
    return Overview(tenant_name=user.tenant.name, contacts=contacts, companies=companies, recent=list(recent))
