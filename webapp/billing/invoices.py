"""Invoices: drafts are edited freely; issuing numbers them without gaps and freezes them for good."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp import clock
from webapp.accounts.models import User
from webapp.billing.models import Invoice, InvoiceLine, Subscription
from webapp.billing.plans import CURRENCY, PAYMENT_DAYS, PLANS, VAT_RATE_BP
from webapp.extensions import db
from webapp.tenant_admin.services import Refused

NUMBER_PREFIX = "BZ"
MAX_LINES = 20


class ImmutableInvoice(RuntimeError):
    """An issued invoice (or one of its lines) was about to change."""


@dataclass(frozen=True)
class Customer:
    name: str
    address: str
    company: str | None = None
    email: str | None = None
    tax_number: str | None = None


@dataclass(frozen=True)
class Line:
    description: str
    quantity: int
    unit_net_cents: int
    vat_rate_bp: int = VAT_RATE_BP


def line_vat(net_cents: int, rate_bp: int) -> int:
    """VAT of one line, rounded half up to the whole cent."""
    return (net_cents * rate_bp + 5000) // 10000


def draft(customer: Customer, lines: list[Line], tenant_id: int | None = None,
          subscription_id: int | None = None) -> Invoice:
    if not lines:
        raise Refused("an invoice needs at least one line")
    if len(lines) > MAX_LINES:
        raise Refused("too many lines")
    invoice = Invoice(tenant_id=tenant_id, subscription_id=subscription_id, currency=CURRENCY,
                      customer_ref=customer_ref(customer, tenant_id),
                      customer_name=customer.name, customer_address=customer.address,
                      customer_company=customer.company, customer_email=customer.email,
                      customer_tax_number=customer.tax_number)
    _set_lines(invoice, lines)
    db.session.add(invoice)
    db.session.flush()
    return invoice


def customer_ref(customer: Customer, tenant_id: int | None) -> str:
    """A stable, non-personal key of the customer: the tenant, else a keyed hash of name and tax number."""
    if tenant_id is not None:
        return f"tenant:{tenant_id}"
    from webapp import crypto

    return "customer:" + crypto.keyed_hash("invoice-customer", f"{customer.name}|{customer.tax_number or ''}")[:24]


def replace_lines(invoice: Invoice, customer: Customer, lines: list[Line]) -> None:
    if invoice.state != "draft":
        raise ImmutableInvoice(invoice.number)
    if not lines:
        raise Refused("an invoice needs at least one line")
    invoice.customer_name, invoice.customer_address = customer.name, customer.address
    invoice.customer_company, invoice.customer_email = customer.company, customer.email
    invoice.customer_tax_number = customer.tax_number
    invoice.lines.clear()
    db.session.flush()
    _set_lines(invoice, lines)
    db.session.flush()


def _set_lines(invoice: Invoice, lines: list[Line]) -> None:
    for position, line in enumerate(lines, start=1):
        net = line.quantity * line.unit_net_cents
        invoice.lines.append(InvoiceLine(position=position, description=line.description, quantity=line.quantity,
                                         unit_net_cents=line.unit_net_cents, vat_rate_bp=line.vat_rate_bp,
                                         net_cents=net, vat_cents=line_vat(net, line.vat_rate_bp)))
    invoice.net_cents = sum(item.net_cents for item in invoice.lines)
    invoice.vat_cents = sum(item.vat_cents for item in invoice.lines)
    invoice.gross_cents = invoice.net_cents + invoice.vat_cents


def for_month(subscription: Subscription, month: date, customer: Customer) -> Invoice:
    """A draft for one month of ``subscription`` (seats × the plan's monthly price)."""
    plan = PLANS[subscription.plan]
    description = f"Bizalom {plan.key} · {month:%Y-%m}"
    return draft(customer, [Line(description, subscription.seats, plan.monthly_net_cents_per_seat)],
                 tenant_id=subscription.tenant_id, subscription_id=subscription.id)


def issue(invoice: Invoice, actor: User | None) -> Invoice:
    """Give the draft the next number of the year and freeze it."""
    if invoice.state != "draft":
        raise ImmutableInvoice(invoice.number)
    if not invoice.customer_name.strip() or not invoice.customer_address.strip():
        raise Refused("an invoice needs the customer's name and billing address")
    today = clock.now().date()
    for _attempt in range(5):
        sequence = (db.session.scalar(select(func.max(Invoice.sequence)).where(Invoice.year == today.year)) or 0) + 1
        try:
            with db.session.begin_nested():
                invoice.year, invoice.sequence = today.year, sequence
                invoice.number = f"{NUMBER_PREFIX}-{today.year}-{sequence:06d}"
                invoice.issued_on, invoice.due_on = today, today + timedelta(days=PAYMENT_DAYS)
                invoice.issued_at, invoice.issued_by_id = clock.now(), actor.id if actor else None
                invoice.supplier_name = current_app.config["INVOICE_SUPPLIER_NAME"]
                invoice.supplier_address = current_app.config["INVOICE_SUPPLIER_ADDRESS"]
                invoice.supplier_tax_number = current_app.config["INVOICE_SUPPLIER_TAX_NUMBER"]
                invoice.state = "issued"
                db.session.flush()
            return invoice
        except IntegrityError:  # another process took that number first
            continue
    raise Refused("no invoice number could be reserved; try again")


def delete_draft(invoice: Invoice) -> None:
    if invoice.state != "draft":
        raise ImmutableInvoice(invoice.number)
    db.session.delete(invoice)
    db.session.flush()


def last_issued_on(tenant_id: int) -> date | None:
    return db.session.scalar(select(func.max(Invoice.issued_on)).where(Invoice.customer_ref == f"tenant:{tenant_id}",
                                                                       Invoice.state == "issued"))


def kept_until(tenant_id: int) -> date | None:
    """Invoice data is kept this long: the configured years after the last invoice."""
    last = last_issued_on(tenant_id)
    if last is None:
        return None
    years = current_app.config["INVOICE_RETENTION_YEARS"]
    try:
        return last.replace(year=last.year + years)
    except ValueError:  # 29 February
        return last.replace(year=last.year + years, day=28)


def install_guard() -> None:
    """Refuse, in the ORM already, any change to an issued invoice (the database refuses it too)."""
    if not event.contains(Session, "before_flush", _guard_issued):
        event.listen(Session, "before_flush", _guard_issued)


def _guard_issued(session: Session, _context, _instances) -> None:
    changed = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    for obj in changed + list(session.deleted):
        if isinstance(obj, Invoice) and _was_issued(obj) and _changes_more_than_links(obj, session):
            raise ImmutableInvoice(obj.number)
        if isinstance(obj, InvoiceLine) and obj.invoice is not None and _was_issued(obj.invoice):
            raise ImmutableInvoice(obj.invoice.number)


def _changes_more_than_links(invoice: Invoice, session: Session) -> bool:
    """Unlinking an issued invoice from a deleted tenant or subscription is the one change allowed."""
    if invoice in session.deleted:
        return True
    state = db.inspect(invoice)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    return bool(changed - {"tenant_id", "subscription_id"})


def _was_issued(invoice: Invoice) -> bool:
    history = db.inspect(invoice).attrs.state.history
    committed = history.deleted[0] if history.deleted else history.unchanged[0] if history.unchanged else None
    return committed == "issued"
