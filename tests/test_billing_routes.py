"""Billing screens: staff start subscriptions and issue invoices; customers see only their own."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp import clock
from webapp.billing import invoices
from webapp.billing.invoices import Customer, Line
from webapp.billing.models import Invoice, Subscription

HTMX = {"HX-Request": "true"}


def _draft(app, tenant):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return invoices.draft(Customer(name="Anna Kovács", address="1111 Budapest, Fő utca 1."),
                              [Line("Team plan", 2, 1_990_000)], tenant_id=tenant.id)


def _lines(*rows):
    data = {}
    for index, (description, quantity, price) in enumerate(rows):
        data |= {f"lines-{index}-description": description, f"lines-{index}-quantity": quantity,
                 f"lines-{index}-unit_price": price, f"lines-{index}-vat_rate": "2700"}
    return data


def test_staff_start_a_subscription_for_a_trial(client, login, make, db_session):
    tenant = make.tenant(name="Alpenblick GmbH", state="trial")
    login(make.user(staff_role="sales"))
    page = client.get(f"/staff/billing/tenants/{tenant.id}")
    assert "Alpenblick GmbH" in page.get_data(as_text=True)
    response = client.post(f"/staff/billing/tenants/{tenant.id}/subscriptions", data={
        "plan": "team", "seats": "4", "starts_on": clock.now().date().isoformat(),
        "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 303
    subscription = db_session.scalars(select(Subscription).where(Subscription.tenant_id == tenant.id)).one()
    db_session.refresh(tenant)
    assert (subscription.plan, subscription.seats, tenant.state) == ("team", 4, "subscribed")


def test_a_bad_subscription_form_is_explained_and_stores_nothing(client, login, make, db_session):
    tenant = make.tenant(state="trial")
    login(make.user(staff_role="operator"))
    token = csrf_from(client.get(f"/staff/billing/tenants/{tenant.id}").get_data(as_text=True))
    response = client.post(f"/staff/billing/tenants/{tenant.id}/subscriptions",
                           data={"plan": "platinum", "seats": "0", "starts_on": "31.02.2026", "csrf_token": token})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    db_session.refresh(tenant)
    assert db_session.scalar(select(func.count(Subscription.id))) == 0 and tenant.state == "trial"


def test_drafting_editing_and_issuing_an_invoice(client, login, make, db_session):
    tenant = make.tenant(state="trial")
    login(make.user(staff_role="sales"))
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        from webapp.billing import subscriptions

        subscription = subscriptions.start(tenant, "starter", 3, clock.now().date(), None)
    db_session.commit()
    token = csrf_from(client.get(f"/staff/billing/tenants/{tenant.id}").get_data(as_text=True))
    response = client.post(f"/staff/billing/subscriptions/{subscription.id}/invoice", data={"csrf_token": token})
    assert response.status_code == 303
    draft = db_session.scalars(select(Invoice)).one()
    assert [(line.quantity, line.unit_net_cents) for line in draft.lines] == [(3, 990_000)]
    form = {"customer_name": "Anna Kovács", "customer_company": "Kovács Kft.", "customer_address": "1111 Budapest",
            "customer_email": "anna@kovacs.example", "customer_tax_number": "", "csrf_token": token,
            **_lines(("Starter, 3 seats", "3", "9900"), ("Onboarding", "1", "25 000,50"))}
    response = client.post(f"/staff/billing/invoices/{draft.id}/edit", data=form)
    assert response.status_code == 303
    db_session.refresh(draft)
    assert (draft.net_cents, draft.gross_cents) == (5_470_050, 6_946_964)
    response = client.post(f"/staff/billing/invoices/{draft.id}/issue", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/billing/invoices/{draft.id}")
    db_session.refresh(draft)
    assert draft.state == "issued" and draft.number.startswith(f"BZ-{clock.now().year}-")
    printed = client.get(f"/billing/invoices/{draft.id}").get_data(as_text=True)
    assert draft.number in printed and "Onboarding" in printed and "Kovács Kft." in printed
    # an issued invoice can no longer be edited or deleted through the screens
    assert client.get(f"/staff/billing/invoices/{draft.id}/edit").status_code == 303
    client.post(f"/staff/billing/invoices/{draft.id}/delete", data={"csrf_token": token})
    assert db_session.get(Invoice, draft.id) is not None


def test_invalid_lines_are_refused_line_by_line_and_change_nothing(client, login, make, db_session):
    tenant = make.tenant()
    draft = _draft(client.application, tenant)
    db_session.commit()
    login(make.user(staff_role="sales"))
    token = csrf_from(client.get(f"/staff/billing/invoices/{draft.id}/edit").get_data(as_text=True))
    form = {"customer_name": "Anna", "customer_address": "Budapest", "csrf_token": token,
            **_lines(("Seats", "-2", "12,5,0"))}
    response = client.post(f"/staff/billing/invoices/{draft.id}/edit", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter an amount such as 9900 or 9900.50." in body
    db_session.refresh(draft)
    assert [line.description for line in draft.lines] == ["Team plan"]


def test_customers_see_only_their_own_issued_invoices(client, login, make, db_session):
    tenant, other = make.tenant(), make.tenant()
    mine, draft = _draft(client.application, tenant), _draft(client.application, tenant)
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        invoices.issue(mine, None)
    db_session.commit()
    admin = make.user(tenant=tenant, role="admin")
    login(admin)
    overview = client.get("/settings/billing").get_data(as_text=True)
    assert mine.number in overview and f"#{draft.id}" not in overview
    assert client.get(f"/billing/invoices/{mine.id}").status_code == 200
    assert client.get(f"/billing/invoices/{draft.id}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_from(overview)})
    login(make.user(tenant=other, role="admin"))
    assert client.get(f"/billing/invoices/{mine.id}").status_code == 404
    assert mine.number not in client.get("/settings/billing").get_data(as_text=True)


def test_a_tenant_user_who_is_not_admin_cannot_open_invoices(client, login, make, db_session):
    tenant = make.tenant()
    invoice = _draft(client.application, tenant)
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        invoices.issue(invoice, None)
    db_session.commit()
    login(make.user(tenant=tenant, role="user"))
    assert client.get(f"/billing/invoices/{invoice.id}").status_code == 404


def test_fragments_with_and_without_htmx(client, login, make, db_session):
    tenant = make.tenant(name="Tisza Trade Kft.")
    login(make.user(staff_role="operator"))
    for path, marker in (("/staff/billing?q=tisza", "Tisza Trade Kft."),
                         (f"/staff/billing/tenants/{tenant.id}", 'id="billing-tenant"')):
        full, partial = client.get(path), client.get(path, headers=HTMX)
        assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
        assert marker in partial.get_data(as_text=True) and marker in full.get_data(as_text=True)
        assert "HX-Request" in partial.headers.get("Vary", "")
    assert "Tisza Trade Kft." not in client.get("/staff/billing?q=alpen", headers=HTMX).get_data(as_text=True)


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@FUZZ
@given(name=texts, address=texts, description=texts, quantity=texts, price=texts, vat=texts)
def test_fuzzed_invoice_forms_never_fail_and_bad_ones_change_nothing(client, login, make, db_session, name, address,
                                                                     description, quantity, price, vat):
    if not hasattr(make, "draft"):
        make.draft = _draft(client.application, make.tenant())
        db_session.commit()
        login(make.user(staff_role="sales"))
        make.token = csrf_from(client.get(f"/staff/billing/invoices/{make.draft.id}/edit").get_data(as_text=True))
    before = db_session.scalar(select(Invoice.gross_cents).where(Invoice.id == make.draft.id))
    response = client.post(f"/staff/billing/invoices/{make.draft.id}/edit", data={
        "customer_name": name, "customer_address": address, "csrf_token": make.token,
        "lines-0-description": description, "lines-0-quantity": quantity, "lines-0-unit_price": price,
        "lines-0-vat_rate": vat})
    assert response.status_code in (303, 422)
    if response.status_code == 422:
        assert db_session.scalar(select(Invoice.gross_cents).where(Invoice.id == make.draft.id)) == before
