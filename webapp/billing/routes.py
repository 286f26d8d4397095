"""Customers' view of billing: the tenant admin's plan and invoices; the printable invoice."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from webapp.accounts.events import security_event
from webapp.authz import allow
from webapp.billing import services
from webapp.billing.models import Invoice
from webapp.extensions import db
from webapp.http import render
from webapp.tenants.models import Tenant

bp = Blueprint("billing", __name__)


@bp.get("/settings/billing")
@allow("tenant_admin")
def mine():
    tenant = db.session.get(Tenant, current_user.tenant_id) or abort(404)
    billing = services.tenant_billing(tenant)
    billing.invoices = [invoice for invoice in billing.invoices if invoice.state == "issued"]
    return render("billing/mine.html", "billing/_mine.html", billing=billing)


@bp.get("/billing/invoices/<int:invoice_id>")
@allow("authenticated")
def invoice(invoice_id: int):
    record = db.session.get(Invoice, invoice_id)
    if record is None or not services.may_see(current_user, record):
        abort(404)
    if current_user.staff_role:
        security_event("personal_data_viewed", current_user, view="billing.invoice", invoice_id=record.id)
    return render_template("billing/invoice.html", invoice=record)
