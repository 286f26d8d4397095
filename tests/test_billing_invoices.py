"""Invoices: gap-free numbers, exact totals, frozen once issued (ORM and database), kept 10+ years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from webapp import clock
from webapp.billing import invoices, subscriptions
from webapp.billing.invoices import Customer, ImmutableInvoice, Line
from webapp.billing.models import Invoice, InvoiceLine
from webapp.config import ConfigError, load_config
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import Tenant

CUSTOMER = Customer(name="Kovács Anna", address="1111 Budapest, Fő utca 1.", company="Kovács Kft.",
                    email="anna@kovacs.example", tax_number="12345678-2-42")


def _issued(app, tenant=None, lines=None, **kwargs):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        invoice = invoices.draft(CUSTOMER, lines or [Line("Team plan", 3, 1_990_000)],
                                 tenant_id=tenant.id if tenant else None)
        return invoices.issue(invoice, None)


def test_numbers_are_gap_free_per_year_and_restart_in_a_new_year(app, db_session):
    with time_machine.travel("2031-12-31 12:00Z", tick=False):
        first, second = _issued(app), _issued(app)
    with time_machine.travel("2032-01-01 09:00Z", tick=False):
        third = _issued(app)
    assert [first.number, second.number, third.number] == ["BZ-2031-000001", "BZ-2031-000002", "BZ-2032-000001"]
    assert (first.issued_on, first.due_on) == (date(2031, 12, 31), date(2032, 1, 8))


def test_totals_are_exact_with_vat_rounded_half_up_per_line(app, db_session):
    invoice = _issued(app, lines=[Line("Seats", 3, 990_050), Line("Setup", 1, 1), Line("Book", 2, 1_000, 500)])
    assert [(item.net_cents, item.vat_cents) for item in invoice.lines] == [(2_970_150, 801_941), (1, 0), (2_000, 100)]
    assert (invoice.net_cents, invoice.vat_cents, invoice.gross_cents) == (2_972_151, 802_041, 3_774_192)
    assert invoices.line_vat(1_850, 2700) == 500  # 499.5 rounds up


def test_issuing_copies_the_supplier_and_refuses_a_draft_without_address(app, db_session):
    invoice = _issued(app)
    assert invoice.supplier_name == app.config["INVOICE_SUPPLIER_NAME"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        draft = invoices.draft(Customer(name="Anna", address="  "), [Line("x", 1, 100)])
        with pytest.raises(Refused):
            invoices.issue(draft, None)
    assert draft.state == "draft" and draft.number is None


def test_the_orm_refuses_to_change_an_issued_invoice(app, db_session):
    invoice = _issued(app)
    invoice.customer_name = "Someone else"
    with pytest.raises(ImmutableInvoice):
        db_session.flush()
    db_session.rollback()
    invoice = db_session.scalars(select(Invoice)).first()
    assert invoice is None or invoice.customer_name == CUSTOMER.name
    with app.test_request_context(headers={"Accept-Language": "en"}):
        issued = _issued(app)
        with pytest.raises(ImmutableInvoice):
            invoices.replace_lines(issued, CUSTOMER, [Line("cheaper", 1, 1)])
        with pytest.raises(ImmutableInvoice):
            invoices.delete_draft(issued)


@pytest.mark.parametrize("statement", [
    "UPDATE invoices SET customer_name = 'Someone else' WHERE id = :id",
    "UPDATE invoices SET gross_cents = 0, net_cents = 0, vat_cents = 0 WHERE id = :id",
    "UPDATE invoices SET state = 'draft', number = NULL, issued_on = NULL WHERE id = :id",
    "DELETE FROM invoices WHERE id = :id",
    "UPDATE invoice_lines SET description = 'changed' WHERE invoice_id = :id",
    "DELETE FROM invoice_lines WHERE invoice_id = :id",
    "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_net_cents, vat_rate_bp, "
    "net_cents, vat_cents) VALUES (:id, 9, 'extra', 1, 100, 0, 100, 0)",
])
def test_the_database_refuses_to_change_an_issued_invoice(app, db_session, statement):
    invoice = _issued(app)
    with pytest.raises(DBAPIError), db_session.begin_nested():
        db_session.execute(text(statement), {"id": invoice.id})
    row = db_session.execute(text("SELECT customer_name, gross_cents, number FROM invoices WHERE id = :id"),
                             {"id": invoice.id}).one()
    assert tuple(row) == (CUSTOMER.name, invoice.gross_cents, invoice.number)
    assert db_session.scalar(text("SELECT count(*) FROM invoice_lines WHERE invoice_id = :id"), {"id": invoice.id}) == 1


def test_an_invoice_older_than_ten_years_may_be_deleted_with_its_lines(app, db_session):
    with time_machine.travel(clock.now() - timedelta(days=365 * 10 + 10), tick=False):
        old = _issued(app)
    recent = _issued(app)
    db_session.execute(text("DELETE FROM invoices WHERE id = :id"), {"id": old.id})
    assert db_session.scalar(text("SELECT count(*) FROM invoice_lines WHERE invoice_id = :id"), {"id": old.id}) == 0
    with pytest.raises(DBAPIError), db_session.begin_nested():
        db_session.execute(text("DELETE FROM invoices WHERE id = :id"), {"id": recent.id})


def test_deleting_the_tenant_keeps_its_invoices(app, make, db_session):
    tenant = make.tenant(state="trial")
    invoice = _issued(app, tenant=tenant)
    db_session.execute(text("DELETE FROM tenants WHERE id = :id"), {"id": tenant.id})
    row = db_session.execute(text("SELECT tenant_id, number, customer_name FROM invoices WHERE id = :id"),
                             {"id": invoice.id}).one()
    assert tuple(row) == (None, invoice.number, CUSTOMER.name)


def test_invoice_data_is_kept_the_configured_years_after_the_last_invoice(app, make, db_session):
    tenant = make.tenant()
    with time_machine.travel("2028-02-29 10:00Z", tick=False):
        _issued(app, tenant=tenant)
    with time_machine.travel("2030-06-01 10:00Z", tick=False):
        _issued(app, tenant=tenant)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert invoices.kept_until(tenant.id) == date(2040, 6, 1)
        app.config["INVOICE_RETENTION_YEARS"] = 15
        try:
            assert invoices.kept_until(tenant.id) == date(2045, 6, 1)
        finally:
            app.config["INVOICE_RETENTION_YEARS"] = 10
        assert invoices.kept_until(make.tenant().id) is None


@pytest.mark.parametrize("years", ["9", "16", "ten"])
def test_retention_years_outside_the_legal_range_refuse_to_start(years):
    with pytest.raises(ConfigError):
        load_config({"INVOICE_RETENTION_YEARS": years})


def test_a_draft_can_be_rewritten_and_deleted(app, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        draft = invoices.draft(CUSTOMER, [Line("a", 1, 100), Line("b", 2, 200)])
        invoices.replace_lines(draft, CUSTOMER, [Line("c", 5, 1000)])
        assert [(line.position, line.description, line.net_cents) for line in draft.lines] == [(1, "c", 5000)]
        assert draft.gross_cents == 6350
        invoices.delete_draft(draft)
    assert db_session.scalars(select(InvoiceLine)).all() == []


def test_subscribing_reopens_a_closed_tenant_only_while_its_data_is_kept(app, make, db_session):
    reopened, too_late = make.tenant(state="trial"), make.tenant(state="trial")
    closed_at = clock.now()
    for tenant in (reopened, too_late):
        tenant.state, tenant.closed_at = "closed", closed_at
    db_session.flush()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with time_machine.travel(closed_at + timedelta(days=89), tick=False):
            subscription = subscriptions.start(reopened, "team", 5, clock.now().date(), None)
        with time_machine.travel(closed_at + timedelta(days=91), tick=False), pytest.raises(Refused):
            subscriptions.start(too_late, "team", 5, clock.now().date(), None)
    assert (reopened.state, reopened.closed_at, subscription.seats) == ("subscribed", None, 5)
    assert (too_late.state, too_late.closed_at) == ("closed", closed_at)


def test_a_tenant_has_one_running_subscription_at_a_time(app, make, db_session):
    tenant = make.tenant(state="trial")
    today = clock.now().date()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        first = subscriptions.start(tenant, "starter", 1, today, None)
        with pytest.raises(Refused):
            subscriptions.start(tenant, "team", 2, today + timedelta(days=3), None)
        subscriptions.end(first, today + timedelta(days=10))
        second = subscriptions.start(tenant, "team", 2, today + timedelta(days=11), None)
        with pytest.raises(Refused):
            subscriptions.end(second, today)
        assert subscriptions.current_subscription(tenant.id, today + timedelta(days=12)) is second
    assert tenant.state == "subscribed"


def _issued_at(app, moment, tenant=None, customer=CUSTOMER):
    with time_machine.travel(moment, tick=False), app.test_request_context(headers={"Accept-Language": "en"}):
        invoice = invoices.draft(customer, [Line("Seats", 1, 100)], tenant_id=tenant.id if tenant else None)
        return invoices.issue(invoice, None)


def test_invoices_go_ten_years_after_the_customers_last_invoice(app, make, db_session):
    from webapp.retention import services as retention

    now = clock.now()
    gone = _issued_at(app, now - timedelta(days=365 * 11 + 3), customer=Customer(name="Former Kft.", address="X"))
    kept_old = _issued_at(app, now - timedelta(days=365 * 11 + 3), tenant=make.tenant())
    tenant_id = kept_old.tenant_id
    kept_new = _issued_at(app, now - timedelta(days=365 * 5), tenant=db_session.get(Tenant, tenant_id))
    ids = (gone.id, kept_old.id, kept_new.id)
    db_session.commit()
    app.config["INVOICE_RETENTION_YEARS"] = 15
    try:
        with app.test_request_context(headers={"Accept-Language": "en"}):
            retention.run()
        assert db_session.scalar(text("SELECT count(*) FROM invoices")) == 3  # 15 years configured: all stay
    finally:
        app.config["INVOICE_RETENTION_YEARS"] = 10
    with app.test_request_context(headers={"Accept-Language": "en"}):
        retention.run()
    remaining = set(db_session.scalars(text("SELECT id FROM invoices")))
    assert remaining == {ids[1], ids[2]}  # the customer's newer invoice keeps the older one
