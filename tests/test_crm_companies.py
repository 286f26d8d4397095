"""Companies screens: keyset list, active search, sort, forms, inline edit, bulk trash and restore,
record page with linked contacts, the contact form's company picker, isolation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp import tenancy
from webapp.audit.models import AuditEntry
from webapp.crm.models import Company, Contact

HX = {"HX-Request": "true"}


@pytest.fixture()
def tenant_user(make, login):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    return tenant


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/companies/\d+">([^<]+)</a>', html)


def _next(html: str) -> str | None:
    more = re.search(r'href="(/companies\?[^"]*after=[^"]+)"', html)
    return more.group(1).replace("&amp;", "&") if more else None


def test_list_is_sorted_and_keyset_paged_without_gaps(client, make, tenant_user):
    for i in range(120):
        make.company(tenant_user, name=f"Firm{i:03d}")
    seen, url, pages = [], "/companies", 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += _names(html)
        url, pages = _next(html), pages + 1
    assert seen == [f"Firm{i:03d}" for i in range(120)] and pages == 3


def test_more_fragment_appends_rows_with_htmx_and_is_a_page_without(client, make, tenant_user):
    for i in range(55):
        make.company(tenant_user, name=f"Firm{i:03d}")
    after = _next(client.get("/companies").get_data(as_text=True))
    fragment = client.get(after, headers=HX)
    text = fragment.get_data(as_text=True)
    assert text.lstrip().startswith("<tr id=\"company-") and "<html" not in text
    assert _names(text) == [f"Firm{i:03d}" for i in range(50, 55)]
    page = client.get(after).get_data(as_text=True)
    assert "<html" in page and _names(page) == [f"Firm{i:03d}" for i in range(50, 55)]


def test_newest_first_sort_pages_too(client, make, tenant_user):
    for i in range(60):
        make.company(tenant_user, name=f"Firm{i:03d}")
    html = client.get("/companies?sort=newest").get_data(as_text=True)
    first = _names(html)
    rest = _names(client.get(_next(html)).get_data(as_text=True))
    assert first + rest == [f"Firm{i:03d}" for i in reversed(range(60))]


def test_active_search_by_name_and_city_returns_the_fragment(client, make, tenant_user):
    make.company(tenant_user, name="Tisza Logisztika Kft.", city="Szeged")
    make.company(tenant_user, name="Duna Bau GmbH", city="Wien")
    make.company(tenant_user, name="Balaton Borház", city="Tihany")
    fragment = client.get("/companies?q=tisz", headers=HX)
    text = fragment.get_data(as_text=True)
    assert text.startswith('<div id="company-results">') and "<html" not in text
    assert _names(text) == ["Tisza Logisztika Kft."]
    assert _names(client.get("/companies?q=wien", headers=HX).get_data(as_text=True)) == ["Duna Bau GmbH"]
    full = client.get("/companies?q=tih")
    assert "<html" in full.get_data(as_text=True) and "HX-Request" in full.headers["Vary"]
    assert _names(full.get_data(as_text=True)) == ["Balaton Borház"]


def test_search_and_cursor_garbage_is_harmless(client, make, tenant_user):
    make.company(tenant_user, name="Alfa")
    for query in ("%", "_", "\\", "' OR 1=1 --", "x" * 500):
        response = client.get("/companies", query_string={"q": query})
        assert response.status_code == 200 and _names(response.get_data(as_text=True)) == []
    for cursor in ("not-a-cursor", "W10", "WzEsMl0", "x" * 600, "WyJhIiwgIngiXQ"):
        assert client.get("/companies", query_string={"after": cursor, "sort": "newest"}).status_code == 200


def test_create_with_validation_then_303(client, csrf, tenant_user, db_session):
    token = csrf("/companies/new")
    bad = client.post("/companies/new", data={"csrf_token": token, "name": " ", "website": "not a url",
                                              "phone": "12", "country": "Hungary"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "web address" in html and "valid phone number" in html and "two-letter country code" in html
    with tenancy.scoped(tenant_user.id):
        assert db_session.scalars(select(Company)).all() == []
    good = client.post("/companies/new", data={"csrf_token": token, "name": "Kovács és Társa Bt.",
                                               "website": "kovacs.example", "phone": "+36 1 234 5678",
                                               "street": "Fő utca 1.", "postcode": "1011", "city": "Budapest",
                                               "country": "hu"})
    assert good.status_code == 303
    with tenancy.scoped(tenant_user.id):
        company = db_session.scalars(select(Company)).one()
    assert good.headers["Location"] == f"/companies/{company.id}"
    assert (company.website, company.phone, company.country) == ("https://kovacs.example", "+3612345678", "HU")
    page = client.get(f"/companies/{company.id}").get_data(as_text=True)
    assert "Kovács és Társa Bt." in page and "Fő utca 1., 1011, Budapest, HU" in page


def test_inline_edit_round_trip_and_refusal(client, make, csrf, tenant_user, db_session):
    company = make.company(tenant_user, name="Old Name", city="Pécs", street="Kossuth tér 2.")
    form = client.get(f"/companies/{company.id}/edit?inline=1", headers=HX).get_data(as_text=True)
    assert form.startswith(f'<tr id="company-{company.id}" class="editing">')
    token = csrf("/companies")
    headers = {**HX, "X-CSRFToken": token}
    bad = client.post(f"/companies/{company.id}/edit?inline=1", headers=headers,
                      data={"name": "", "city": "Pécs", "street": "Kossuth tér 2."})
    assert bad.status_code == 422 and 'class="editing"' in bad.get_data(as_text=True)
    saved = client.post(f"/companies/{company.id}/edit?inline=1", headers=headers,
                        data={"name": "New Name", "city": "Győr", "street": "Kossuth tér 2."})
    assert saved.status_code == 200 and saved.get_data(as_text=True).startswith(f'<tr id="company-{company.id}">')
    db_session.expire_all()
    with tenancy.scoped(tenant_user.id):
        stored = db_session.get(Company, company.id)
        assert (stored.name, stored.city, stored.street) == ("New Name", "Győr", "Kossuth tér 2.")
    row = client.get(f"/companies/{company.id}/row").get_data(as_text=True)
    assert row.startswith(f'<tr id="company-{company.id}">') and "New Name" in row


def test_full_edit_page_without_htmx(client, make, csrf, tenant_user):
    company = make.company(tenant_user, name="Plain")
    page = client.get(f"/companies/{company.id}/edit")
    assert "<html" in page.get_data(as_text=True)
    fragment = client.get(f"/companies/{company.id}/edit", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    saved = client.post(f"/companies/{company.id}/edit", data={"csrf_token": csrf("/companies"), "name": "Plainer"})
    assert saved.status_code == 303 and saved.headers["Location"] == f"/companies/{company.id}"


def test_bulk_trash_takes_contacts_along_and_the_trash_restores_them(client, make, csrf, tenant_user, db_session):
    company = make.company(tenant_user, name="Going Away")
    staff = [make.contact(tenant_user, company_id=company.id) for _ in range(2)]
    keep = make.company(tenant_user, name="Staying")
    token = csrf("/companies")
    response = client.post("/companies/bulk", data={"csrf_token": token, "action": "trash", "ids": [str(company.id)]})
    assert response.status_code == 303
    db_session.expire_all()
    with tenancy.scoped(tenant_user.id):
        assert db_session.get(Company, company.id).deleted_at is not None
        assert all(db_session.get(Contact, c.id).deleted_at is not None for c in staff)
        assert db_session.get(Company, keep.id).deleted_at is None
    assert _names(client.get("/companies").get_data(as_text=True)) == ["Staying"]
    assert client.get(f"/companies/{company.id}").status_code == 404
    trash = client.get("/trash").get_data(as_text=True)
    assert f'value="company:{company.id}"' in trash
    restored = client.post("/trash/restore", data={"csrf_token": token, "one": f"company:{company.id}"})
    assert restored.status_code == 303
    db_session.expire_all()
    with tenancy.scoped(tenant_user.id):
        assert db_session.get(Company, company.id).deleted_at is None
        assert all(db_session.get(Contact, c.id).deleted_at is None for c in staff)
        actions = db_session.scalars(select(AuditEntry.action).where(AuditEntry.record_type == "company",
                                                                     AuditEntry.record_id == company.id)
                                     .order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["trash", "restore"]


def test_trash_from_the_record_page(client, make, csrf, tenant_user, db_session):
    company = make.company(tenant_user, name="Single")
    response = client.post(f"/companies/{company.id}/trash", data={"csrf_token": csrf("/companies")})
    assert response.status_code == 303
    db_session.expire_all()
    with tenancy.scoped(tenant_user.id):
        assert db_session.get(Company, company.id).deleted_at is not None


def test_link_and_unlink_contacts_on_the_record_page(client, make, csrf, tenant_user, db_session):
    company = make.company(tenant_user, name="Hub Kft.")
    contact = make.contact(tenant_user, last_name="Linkelt", email="linkelt@example.com")
    token = csrf("/companies")
    options = client.get(f"/companies/{company.id}/contact-options?q=link", headers=HX).get_data(as_text=True)
    assert options.startswith('<div id="contact-options">') and "Linkelt" in options
    page = client.get(f"/companies/{company.id}/contact-options?q=link").get_data(as_text=True)
    assert "<html" in page and "Linkelt" in page  # without JavaScript: a page with the same choices
    linked = client.post(f"/companies/{company.id}/contacts", data={"csrf_token": token, "contact_id": contact.id})
    assert linked.status_code == 303
    html = client.get(f"/companies/{company.id}").get_data(as_text=True)
    assert f'id="linked-contact-{contact.id}"' in html
    assert "Linkelt" not in client.get(f"/companies/{company.id}/contact-options?q=link").get_data(as_text=True)
    unlinked = client.post(f"/companies/{company.id}/contacts/{contact.id}/unlink", data={"csrf_token": token})
    assert unlinked.status_code == 303
    db_session.expire_all()
    with tenancy.scoped(tenant_user.id):
        assert db_session.get(Contact, contact.id).company_id is None
    with tenancy.scoped(tenant_user.id):
        junk = client.post(f"/companies/{company.id}/contacts", data={"csrf_token": token, "contact_id": "x"})
    assert junk.status_code == 303


def test_contact_form_picks_a_company_by_name(client, make, csrf, tenant_user, db_session):
    company = make.company(tenant_user, name="Picked Kft.")
    make.company(tenant_user, name="Other Kft.")
    options = client.get("/companies/options?company=pick", headers=HX).get_data(as_text=True)
    assert '<option value="Picked Kft.">' in options and "Other" not in options
    plain = client.get("/companies/options?company=pick").get_data(as_text=True)
    assert plain == options  # only the datalist fragment: htmx fills it, nothing links to it otherwise
    token = csrf("/contacts/new")
    unknown = client.post("/contacts/new", data={"csrf_token": token, "last_name": "Kiss", "company": "Nope"})
    assert unknown.status_code == 422 and "has exactly this name" in unknown.get_data(as_text=True)
    created = client.post("/contacts/new", data={"csrf_token": token, "last_name": "Kiss", "company": "picked kft."})
    assert created.status_code == 303
    with tenancy.scoped(tenant_user.id):
        contact = db_session.scalars(select(Contact).where(Contact.last_name == "Kiss")).one()
    assert contact.company_id == company.id
    form = client.get(f"/contacts/{contact.id}/edit").get_data(as_text=True)
    assert 'value="Picked Kft."' in form
    # the inline row edit has no company field: the company stays
    client.post(f"/contacts/{contact.id}/edit?inline=1", headers={**HX, "X-CSRFToken": token},
                data={"last_name": "Kiss", "first_name": "Ádám"})
    cleared = client.post(f"/contacts/{contact.id}/edit", data={"csrf_token": token, "last_name": "Kiss",
                                                                "company": ""})
    assert cleared.status_code == 303
    db_session.expire_all()
    with tenancy.scoped(tenant_user.id):
        stored = db_session.get(Contact, contact.id)
        assert (stored.first_name, stored.company_id) == ("Ádám", None)


def test_another_tenants_companies_are_not_found(client, make, csrf, tenant_user, db_session):
    other = make.tenant()
    theirs = make.company(other, name="Foreign Kft.")
    their_contact = make.contact(other, last_name="Foreign")
    mine = make.company(tenant_user, name="Mine")
    token = csrf("/companies")
    assert client.get(f"/companies/{theirs.id}").status_code == 404
    assert client.get(f"/companies/{theirs.id}/edit").status_code == 404
    assert client.get(f"/companies/{theirs.id}/row").status_code == 404
    assert client.post(f"/companies/{theirs.id}/trash", data={"csrf_token": token}).status_code == 404
    client.post(f"/companies/{mine.id}/contacts", data={"csrf_token": token, "contact_id": their_contact.id})
    client.post("/companies/bulk", data={"csrf_token": token, "action": "trash", "ids": [str(theirs.id)]})
    assert "Foreign" not in client.get("/companies/options?company=f").get_data(as_text=True)
    db_session.expire_all()
    with tenancy.scoped(other.id):
        assert db_session.get(Company, theirs.id).deleted_at is None
        assert db_session.get(Contact, their_contact.id).company_id is None


def test_names_and_websites_are_escaped(client, make, tenant_user):
    company = make.company(tenant_user, name="<script>x</script>", website="javascript:alert(1)")
    html = client.get(f"/companies/{company.id}").get_data(as_text=True)
    assert "<script>x" not in html and 'href="javascript:' not in html
