"""What the billing screens read: the tenants overview, one tenant's billing, who may see an invoice."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.billing import invoices, subscriptions
from webapp.billing.models import Invoice, Subscription
from webapp.extensions import db
from webapp.tenants.models import Tenant

BILLING_STAFF = ("sales", "operator")
OVERVIEW_LIMIT = 50


@dataclass
class TenantBilling:
    tenant: Tenant
    current: Subscription | None
    subscriptions: list[Subscription]
    invoices: list[Invoice]
    kept_until: object


def overview(query: str = "") -> list[tuple[Tenant, Subscription | None, object]]:
    """Tenants (filtered by name), each with its running subscription and last invoice date."""
    last_invoice = (select(Invoice.tenant_id, func.max(Invoice.issued_on).label("last_on"))
                    .where(Invoice.state == "issued").group_by(Invoice.tenant_id).subquery())
    stmt = (select(Tenant, last_invoice.c.last_on).outerjoin(last_invoice, last_invoice.c.tenant_id == Tenant.id)
            .order_by(Tenant.name, Tenant.id).limit(OVERVIEW_LIMIT))
    query = query.strip()[:100]
    if query:
        stmt = stmt.where(func.lower(Tenant.name).contains(query.lower(), autoescape=True))
    rows = db.session.execute(stmt).all()
    return [(tenant, subscriptions.current_subscription(tenant.id), last_on) for tenant, last_on in rows]


def tenant_billing(tenant: Tenant) -> TenantBilling:
    listed = list(db.session.scalars(select(Invoice).where(Invoice.tenant_id == tenant.id)
                                     .order_by(Invoice.issued_on.desc().nulls_first(), Invoice.id.desc())))
    return TenantBilling(tenant, subscriptions.current_subscription(tenant.id),
                         subscriptions.subscriptions_of(tenant.id), listed, invoices.kept_until(tenant.id))


def may_see(user: User, invoice: Invoice) -> bool:
    """Billing staff see every invoice; a tenant's admins see that tenant's issued invoices."""
    if user.staff_role in BILLING_STAFF:
        return True
    return (user.tenant_id is not None and user.role == "admin" and invoice.tenant_id == user.tenant_id
            and invoice.state == "issued")


def customer_defaults(tenant: Tenant) -> invoices.Customer:
    """A new draft copies the customer block of the tenant's last invoice, else the tenant's name."""
    last = db.session.scalars(select(Invoice).where(Invoice.tenant_id == tenant.id)
                              .order_by(Invoice.id.desc()).limit(1)).first()
    if last is None:
        return invoices.Customer(name=tenant.name, address="")
    return invoices.Customer(name=last.customer_name, address=last.customer_address, company=last.customer_company,
                             email=last.customer_email, tax_number=last.customer_tax_number)
