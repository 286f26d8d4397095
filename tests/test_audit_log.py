"""The audit log page (tenant admins) and a record's trail: filters, keyset pages, htmx partials,
clear messages for bad input, and never another tenant's rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from webapp import tenancy
from webapp.audit import services
from webapp.crm.models import Company, Contact

HX = {"HX-Request": "true"}


@pytest.fixture()
def admin_of_a(make, login):
    tenant_a, tenant_b = make.tenant(), make.tenant()
    admin = make.user(tenant=tenant_a, role="admin", name="Admin Aliz")
    colleague = make.user(tenant=tenant_a, name="Kolléga Kata")
    make.company(tenant_a, name="Alpha Kft.")
    make.contact(tenant_b, last_name="Bravo-Secret")
    make.company(tenant_b, name="Bravo Zrt.")
    login(admin)
    return tenant_a, tenant_b, admin, colleague


def test_only_tenant_admins_see_the_log(client, make, login):
    login(make.user(tenant=make.tenant()))
    assert client.get("/audit").status_code == 403


def test_the_log_of_tenant_a_shows_none_of_b(client, admin_of_a):
    html = client.get("/audit").get_data(as_text=True)
    assert "Alpha Kft." in html
    assert "Bravo" not in html


def test_full_page_without_htmx_and_results_partial_with_it(client, admin_of_a):
    page = client.get("/audit")
    assert page.status_code == 200 and "HX-Request" in page.headers["Vary"]
    html = page.get_data(as_text=True)
    assert "<html" in html and 'hx-get="/audit"' in html and 'id="audit-results"' in html
    assert 'hx-trigger="change, keyup delay:200ms changed"' in html and 'method="get"' in html
    partial = client.get("/audit?type=company", headers=HX)
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "HX-Request" in partial.headers["Vary"]
    assert "<html" not in body and body.lstrip().startswith('<div id="audit-results"')
    boosted = client.get("/audit", headers={**HX, "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)


def test_filters_by_type_action_user_and_record(client, db_session, admin_of_a):
    tenant_a, _b, admin, colleague = admin_of_a
    with tenancy.scoped(tenant_a.id):
        with services.actor(user_id=colleague.id):
            db_session.add(contact := Contact(last_name="Szűrő"))
            db_session.flush()
        with services.actor(user_id=admin.id):
            services.trash(Contact, [contact.id])
    contact_id = contact.id
    assert "Szűrő" in client.get("/audit?type=contact").get_data(as_text=True)
    assert "Alpha Kft." not in client.get("/audit?type=contact").get_data(as_text=True)
    trashed = client.get("/audit?action=trash", headers=HX).get_data(as_text=True)
    assert "Moved to the trash" in trashed and "Admin Aliz" in trashed and "Kolléga Kata" not in trashed
    by_colleague = client.get(f"/audit?user={colleague.id}", headers=HX).get_data(as_text=True)
    assert "Szűrő" in by_colleague and "Created" in by_colleague and "Moved to the trash" not in by_colleague
    one = client.get(f"/audit?type=contact&record={contact_id}", headers=HX).get_data(as_text=True)
    assert one.count('id="audit-') == 3  # the results div and two rows


def test_date_range_filter(client, make, admin_of_a):
    tenant_a = admin_of_a[0]
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False):
        make.company(tenant_a, name="Márciusi Bt.")
    march = client.get("/audit?since=2026-03-01&until=2026-03-31", headers=HX).get_data(as_text=True)
    assert "Márciusi Bt." in march and "Alpha Kft." not in march
    april = client.get("/audit?since=2026-04-01", headers=HX).get_data(as_text=True)
    assert "Márciusi Bt." not in april


@pytest.mark.parametrize(("query", "message"), [
    ("since=31.03.2026", "is not a date. Use the form YYYY-MM-DD"),
    ("until=yesterday", "is not a date"),
    ("since=2026-02-30", "is not a date"),
    ("until=9999-12-31", "choose a date between 1970 and 2999"),
    ("since=2026-05-01&until=2026-04-01", "The start date is after the end date."),
    ("action=obliterate", "Unknown action “obliterate”."),
    ("type=user", "Unknown record type “user”."),
    ("user=admin", "Choose a user from the list."),
    ("before=-5", "This page link is broken"),
    ("record=99999999999999999999999", "A record number is a positive whole number."),
])
def test_bad_filters_give_a_clear_message_not_a_500(client, admin_of_a, query, message):
    for headers in ({}, HX):
        response = client.get(f"/audit?{query}", headers=headers)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html and 'role="alert"' in html


def test_keyset_pages_newest_first(client, db_session, make, admin_of_a, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 3)
    tenant_a = admin_of_a[0]
    for n in range(5):
        make.company(tenant_a, name=f"Page{n} Kft.")
    first = client.get("/audit?type=company").get_data(as_text=True)
    assert first.index("Page4") < first.index("Page3") < first.index("Page2") and "Page1" not in first
    link = first.split('class="button secondary" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "before=" in link and "type=company" in link
    second = client.get(link).get_data(as_text=True)
    assert "Page1" in second and "Alpha Kft." in second and "Page2" not in second
    assert "Older entries" not in second


def test_the_record_trail_fragment(app, client, db_session, make, admin_of_a):
    tenant_a, tenant_b, admin, _colleague = admin_of_a
    company = make.company(tenant_a, name="Trail Kft.")
    with tenancy.scoped(tenant_a.id), services.actor(user_id=admin.id):
        company.city = "Debrecen"
        db_session.flush()
        services.trash(Company, [company.id])
    with app.test_request_context(headers={"Accept-Language": "en"}), tenancy.scoped(tenant_a.id):
        html = str(services.trail_for("company", company.id))
        assert app.jinja_env.globals["audit_trail"] is services.trail_for
    assert html.index("Moved to the trash") < html.index("Changed") < html.index("Created")
    assert "Debrecen" in html and "Admin Aliz" in html and "Trail Kft." in html
    with app.test_request_context(headers={"Accept-Language": "en"}), tenancy.scoped(tenant_b.id):
        assert "No changes recorded yet." in str(services.trail_for("company", company.id))
    with app.test_request_context(), pytest.raises(tenancy.TenantScopeError):
        services.trail_for("company", company.id)


def test_the_log_says_when_values_were_removed(client, db_session, make, admin_of_a):
    tenant_a = admin_of_a[0]
    contact = make.contact(tenant_a, last_name="Forgotten")
    with tenancy.scoped(tenant_a.id):
        services.erase(Contact, [contact.id])
    html = client.get("/audit?type=contact").get_data(as_text=True)
    assert "Erased on request" in html and "Values removed when the record was deleted." in html
    assert "Forgotten" not in html and "no longer exists" in html


def test_dates_show_in_the_users_time_zone(client, make, admin_of_a):
    tenant_a = admin_of_a[0]
    late = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 1 July, 00:30 in Budapest
    with time_machine.travel(late, tick=False):
        make.company(tenant_a, name="Midnight Kft.")
    assert "Midnight Kft." in client.get("/audit?since=2026-07-01&until=2026-07-01").get_data(as_text=True)
    assert "Midnight Kft." not in client.get("/audit?until=2026-06-30").get_data(as_text=True)
