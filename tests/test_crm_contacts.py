"""Contacts screens: keyset-paged list, active search, inline edit, bulk trash, record page, isolation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp import tenancy
from webapp.crm.models import Contact

HX = {"HX-Request": "true"}


@pytest.fixture()
def tenant_user(make, login):
    tenant = make.tenant()
    user = make.user(tenant=tenant)
    login(user)
    return tenant


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/contacts/\d+">([^<]+)</a>', html)


def test_list_is_sorted_and_keyset_paged_without_gaps(client, make, tenant_user):
    for i in range(120):
        make.contact(tenant_user, last_name=f"Name{i:03d}", first_name="A")
    seen, url = [], "/contacts"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += _names(html)
        more = re.search(r'href="(/contacts\?[^"]*after=[^"]+)"', html)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert seen == [f"Name{i:03d}, A" for i in range(120)]


def test_newest_first_sort(client, make, tenant_user):
    make.contact(tenant_user, last_name="Older")
    make.contact(tenant_user, last_name="Newer")
    names = _names(client.get("/contacts?sort=newest").get_data(as_text=True))
    assert names.index("Newer, Anna") < names.index("Older, Anna")


def test_active_search_returns_the_results_fragment(client, make, tenant_user):
    company = make.company(tenant_user, name="Tisza Logisztika Kft.")
    make.contact(tenant_user, last_name="Kovács", email="k@example.com", phone="+36201112233")
    make.contact(tenant_user, last_name="Szabó", company_id=company.id)
    make.contact(tenant_user, last_name="Tóth")
    fragment = client.get("/contacts?q=kov", headers=HX).get_data(as_text=True)
    assert fragment.startswith('<div id="contact-results">') and "<html" not in fragment
    assert _names(fragment) == ["Kovács, Anna"]
    assert _names(client.get("/contacts?q=tisza", headers=HX).get_data(as_text=True)) == ["Szabó, Anna"]
    assert _names(client.get("/contacts?q=1112233", headers=HX).get_data(as_text=True)) == ["Kovács, Anna"]
    assert _names(client.get("/contacts?q=k%40example", headers=HX).get_data(as_text=True)) == ["Kovács, Anna"]
    full = client.get("/contacts?q=kov")
    assert "<html" in full.get_data(as_text=True) and "HX-Request" in full.headers["Vary"]


def test_search_with_wildcards_and_garbage_is_harmless(client, make, tenant_user):
    make.contact(tenant_user, last_name="Kovács")
    for query in ("%", "_", "\\", "' OR 1=1 --", "x" * 500):
        response = client.get("/contacts", query_string={"q": query})
        assert response.status_code == 200
        assert _names(response.get_data(as_text=True)) == []
    assert client.get("/contacts?after=not-a-cursor").status_code == 200


def test_inline_edit_round_trip(client, make, csrf, tenant_user, db_session):
    contact = make.contact(tenant_user, last_name="Nagy")
    form = client.get(f"/contacts/{contact.id}/edit?inline=1", headers=HX).get_data(as_text=True)
    assert form.startswith(f'<tr id="contact-{contact.id}" class="editing">')
    token = csrf("/contacts")
    saved = client.post(f"/contacts/{contact.id}/edit?inline=1", headers={**HX, "X-CSRFToken": token},
                        data={"last_name": "Nagyné", "first_name": "Éva", "email": "EVA@Example.com",
                              "phone": "20 555 1234"})
    row = saved.get_data(as_text=True)
    assert saved.status_code == 200 and row.startswith(f'<tr id="contact-{contact.id}">')
    db_session.expire_all()
    with tenancy.scoped(tenant_user.id):
        stored = db_session.get(Contact, contact.id)
        assert (stored.last_name, stored.email, stored.phone) == ("Nagyné", "EVA@example.com", "+36205551234")


def test_inline_edit_refuses_bad_values_and_changes_nothing(client, make, csrf, tenant_user, db_session):
    contact = make.contact(tenant_user, last_name="Nagy", email="nagy@example.com")
    token = csrf("/contacts")
    response = client.post(f"/contacts/{contact.id}/edit?inline=1", headers={**HX, "X-CSRFToken": token},
                           data={"last_name": "", "email": "not-an-address", "phone": "12"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "valid e-mail address" in html and "valid phone number" in html
    db_session.expire_all()
    with tenancy.scoped(tenant_user.id):
        assert db_session.get(Contact, contact.id).email == "nagy@example.com"


def test_names_are_escaped(client, make, tenant_user):
    make.contact(tenant_user, last_name="<script>alert(1)</script>")
    html = client.get("/contacts").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_bulk_trash_moves_only_own_contacts(client, make, csrf, tenant_user, db_session):
    mine = [make.contact(tenant_user).id for _ in range(3)]
    theirs = make.contact(make.tenant()).id
    response = client.post("/contacts/bulk", data={"action": "trash", "csrf_token": csrf("/contacts"),
                                                   "ids": [str(i) for i in mine[:2]] + [str(theirs)]})
    assert response.status_code == 303
    db_session.expire_all()
    trashed = db_session.scalars(tenancy.all_tenants(select(Contact.id).where(Contact.deleted_at.is_not(None))))
    assert sorted(trashed) == sorted(mine[:2])


def test_another_tenants_contact_is_not_found(client, make, csrf, tenant_user):
    theirs = make.contact(make.tenant())
    for path in (f"/contacts/{theirs.id}", f"/contacts/{theirs.id}/edit", f"/contacts/{theirs.id}/row"):
        assert client.get(path).status_code == 404
    response = client.post(f"/contacts/{theirs.id}/edit", data={"last_name": "Hijack", "csrf_token": csrf("/contacts")})
    assert response.status_code == 404


def test_new_contact_and_record_page(client, make, csrf, tenant_user, db_session):
    response = client.post("/contacts/new", data={"first_name": "Réka", "last_name": "Balogh",
                                                  "email": "reka@example.com", "csrf_token": csrf("/contacts/new")})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Réka Balogh" in page and "reka@example.com" in page
    with tenancy.scoped(tenant_user.id):
        assert db_session.scalar(select(Contact).where(Contact.last_name == "Balogh")).tenant_id == tenant_user.id


def test_staff_cannot_open_contacts(client, make, login):
    login(make.user(staff_role="operator"))
    assert client.get("/contacts").status_code == 403
