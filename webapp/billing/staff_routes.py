"""Billing staff (sales, operator): subscriptions per tenant, invoice drafts, issuing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock
from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.billing import invoices, services, subscriptions
from webapp.billing.forms import EndSubscriptionForm, InvoiceForm, SubscriptionForm
from webapp.billing.models import Invoice, Subscription
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import Tenant

bp = Blueprint("billing_staff", __name__, url_prefix="/staff/billing")
BILLING = "staff:sales,operator"


def _get(model, record_id: int):
    return db.session.get(model, record_id) or abort(404)


@bp.get("")
@allow(BILLING)
def overview():
    query = request.args.get("q", "")
    return render("billing/overview.html", "billing/_overview.html", rows=services.overview(query), query=query[:100])


def _tenant_page(tenant: Tenant, status: int = 200, subscription_form=None, end_form=None):
    return render("billing/tenant.html", "billing/_tenant.html", status=status, billing=services.tenant_billing(tenant),
                  subscription_form=subscription_form or SubscriptionForm(formdata=None, seats=1),
                  end_form=end_form or EndSubscriptionForm(formdata=None), form=EmptyForm())


@bp.get("/tenants/<int:tenant_id>")
@allow(BILLING)
def tenant(tenant_id: int):
    return _tenant_page(_get(Tenant, tenant_id))


@bp.post("/tenants/<int:tenant_id>/subscriptions")
@allow(BILLING)
def start_subscription(tenant_id: int):
    record = _get(Tenant, tenant_id)
    form = SubscriptionForm()
    if form.validate_on_submit():
        try:
            subscriptions.start(record, form.plan.data, form.seats.data, form.starts_on.data, current_user)
        except Refused as refusal:
            form.starts_on.errors = [_refusal_text(refusal)]
        else:
            db.session.commit()
            flash(_("The subscription was started."), "success")
            return see_other("billing_staff.tenant", tenant_id=record.id)
    db.session.rollback()
    return _tenant_page(record, 422, subscription_form=form)


@bp.post("/subscriptions/<int:subscription_id>/end")
@allow(BILLING)
def end_subscription(subscription_id: int):
    subscription = _get(Subscription, subscription_id)
    form = EndSubscriptionForm()
    if form.validate_on_submit():
        try:
            subscriptions.end(subscription, form.ends_on.data)
        except Refused as refusal:
            form.ends_on.errors = [_refusal_text(refusal)]
        else:
            db.session.commit()
            flash(_("The subscription will end on the chosen day."), "success")
            return see_other("billing_staff.tenant", tenant_id=subscription.tenant_id)
    db.session.rollback()
    return _tenant_page(_get(Tenant, subscription.tenant_id), 422, end_form=form)


@bp.post("/subscriptions/<int:subscription_id>/invoice")
@allow(BILLING)
def draft_for_month(subscription_id: int):
    subscription = _get(Subscription, subscription_id)
    EmptyForm().validate_on_submit() or abort(400)
    customer = services.customer_defaults(_get(Tenant, subscription.tenant_id))
    invoice = invoices.for_month(subscription, clock.now().date(), customer)
    db.session.commit()
    flash(_("A draft invoice was created. Check the customer details before issuing it."), "success")
    return see_other("billing_staff.edit_invoice", invoice_id=invoice.id)


@bp.route("/invoices/<int:invoice_id>/edit", methods=["GET", "POST"])
@allow(BILLING)
def edit_invoice(invoice_id: int):
    invoice = _get(Invoice, invoice_id)
    if invoice.state != "draft":
        return see_other("billing.invoice", invoice_id=invoice.id)
    form = InvoiceForm()
    if request.method == "GET":
        form.fill_from(invoice)
    elif form.validate_on_submit():
        invoices.replace_lines(invoice, form.customer(), form.invoice_lines())
        db.session.commit()
        flash(_("The draft was saved."), "success")
        return see_other("billing_staff.edit_invoice", invoice_id=invoice.id)
    status = 422 if request.method == "POST" else 200
    return render("billing/edit.html", "billing/_edit.html", status=status, form=form, invoice=invoice,
                  action_form=EmptyForm())


@bp.post("/invoices/<int:invoice_id>/issue")
@allow(BILLING)
def issue_invoice(invoice_id: int):
    invoice = _get(Invoice, invoice_id)
    EmptyForm().validate_on_submit() or abort(400)
    try:
        invoices.issue(invoice, current_user)
    except (Refused, invoices.ImmutableInvoice) as refusal:
        db.session.rollback()
        flash(_refusal_text(refusal), "error")
        return see_other("billing_staff.edit_invoice", invoice_id=invoice_id)
    db.session.commit()
    flash(_("Invoice %(number)s was issued. It can no longer be changed.", number=invoice.number), "success")
    return see_other("billing.invoice", invoice_id=invoice.id)


@bp.post("/invoices/<int:invoice_id>/delete")
@allow(BILLING)
def delete_invoice(invoice_id: int):
    invoice = _get(Invoice, invoice_id)
    EmptyForm().validate_on_submit() or abort(400)
    tenant_id = invoice.tenant_id
    try:
        invoices.delete_draft(invoice)
    except invoices.ImmutableInvoice:
        db.session.rollback()
        flash(_("Issued invoices cannot be deleted."), "error")
        return see_other("billing.invoice", invoice_id=invoice_id)
    db.session.commit()
    flash(_("The draft was deleted."), "success")
    return see_other("billing_staff.tenant", tenant_id=tenant_id) if tenant_id else see_other("billing_staff.overview")


def _refusal_text(refusal: Exception) -> str:
    messages = {
        "the tenant already has a subscription running on that day":
            _("This customer already has a subscription running on that day."),
        "the tenant's data has been deleted; it cannot be reopened":
            _("This closed trial's data has already been deleted, so it cannot be reopened."),
        "a subscription cannot end before it starts": _("The last day cannot be before the start."),
        "this subscription has already ended": _("This subscription has already ended."),
        "an invoice needs the customer's name and billing address":
            _("Enter the customer's name and billing address before issuing."),
    }
    return messages.get(str(refusal), _("This change is not possible."))
