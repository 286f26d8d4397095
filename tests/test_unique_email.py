"""Unique contact e-mail addresses per tenant, where the tenant admin turns it on: the database
refuses duplicates (also through raw SQL), forms answer "already exists", imports can ask first."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from webapp import tenancy
from webapp.crm import uniqueness
from webapp.crm.models import Contact, CrmSettings


@pytest.fixture()
def tenant(make):
    return make.tenant()


@pytest.fixture()
def admin(make, login, tenant):
    user = make.user(tenant=tenant, role="admin")
    login(user)
    return user


def _enable(client, csrf, on=True):
    data = {"csrf_token": csrf("/contacts/settings")}
    if on:
        data["unique_email"] = "on"
    return client.post("/contacts/settings", data=data)


def _insert_sql(db_session, tenant_id, email):
    db_session.execute(text("INSERT INTO contacts (tenant_id, first_name, last_name, email, created_at) "
                            "VALUES (:t, '', 'Raw', :e, CURRENT_TIMESTAMP)"), {"t": tenant_id, "e": email})


def test_turning_on_with_duplicates_is_refused_and_lists_them(client, csrf, make, tenant, admin, db_session):
    make.contact(tenant, email="Dup@Example.com")
    trashed = make.contact(tenant, email="dup@example.com")
    make.contact(tenant, email="single@example.com")
    with tenancy.scoped(tenant.id):
        from webapp.audit import services as audit

        audit.trash(Contact, [trashed.id])
    response = _enable(client, csrf)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "dup@example.com" in html and "single@example.com" not in html
    assert "2 contacts" in html
    with tenancy.scoped(tenant.id):
        assert db_session.scalars(select(CrmSettings)).all() == []
        assert db_session.scalars(select(Contact.email_key).where(Contact.email_key.is_not(None))).all() == []
    fragment = client.post("/contacts/settings", headers={"HX-Request": "true", "X-CSRFToken": csrf("/contacts")},
                           data={"unique_email": "on"})
    assert fragment.status_code == 422 and fragment.get_data(as_text=True).startswith('<div id="crm-settings">')


def test_database_refuses_duplicates_even_through_sql(client, csrf, make, tenant, admin, db_session):
    make.contact(tenant, email="anna@example.com")
    assert _enable(client, csrf).status_code == 303
    other = make.tenant()
    with tenancy.scoped(tenant.id):
        assert db_session.scalars(select(Contact.email_key)).all() == ["anna@example.com"]
        with pytest.raises(IntegrityError), db_session.begin_nested():
            _insert_sql(db_session, tenant.id, "ANNA@example.com")
        with pytest.raises(IntegrityError), db_session.begin_nested():
            db_session.add(Contact(last_name="Orm", email="anna@EXAMPLE.com"))
            db_session.flush()
        with pytest.raises(IntegrityError), db_session.begin_nested():  # a forged key is recomputed
            _insert_sql(db_session, tenant.id, "anna@example.com")
        _insert_sql(db_session, tenant.id, None)  # no address: no key, no conflict
        _insert_sql(db_session, tenant.id, None)
    with tenancy.scoped(other.id):  # another tenant, option off: shared addresses are fine
        _insert_sql(db_session, other.id, "anna@example.com")
        _insert_sql(db_session, other.id, "anna@example.com")


def test_turning_off_allows_duplicates_again(client, csrf, make, tenant, admin, db_session):
    make.contact(tenant, email="x@example.com")
    _enable(client, csrf)
    assert _enable(client, csrf, on=False).status_code == 303
    with tenancy.scoped(tenant.id):
        assert db_session.scalars(select(Contact.email_key).where(Contact.email_key.is_not(None))).all() == []
        _insert_sql(db_session, tenant.id, "x@example.com")
        assert uniqueness.email_taken("x@example.com") is False
    assert "checked" not in client.get("/contacts/settings").get_data(as_text=True).split('id="unique_email"')[1][:40]


def test_forms_say_already_exists_instead_of_failing(client, csrf, make, tenant, admin, db_session):
    existing = make.contact(tenant, email="taken@example.com")
    other = make.contact(tenant, email="other@example.com")
    existing_id, other_id = existing.id, other.id
    _enable(client, csrf)
    token = csrf("/contacts/new")
    created = client.post("/contacts/new", data={"csrf_token": token, "last_name": "Dup", "email": "TAKEN@example.com"})
    assert created.status_code == 422 and "already exists" in created.get_data(as_text=True)
    edited = client.post(f"/contacts/{other_id}/edit", data={"csrf_token": token, "last_name": "X",
                                                             "email": "taken@example.com"})
    assert edited.status_code == 422 and "already exists" in edited.get_data(as_text=True)
    inline = client.post(f"/contacts/{other_id}/edit?inline=1", headers={"HX-Request": "true", "X-CSRFToken": token},
                         data={"last_name": "X", "email": "taken@example.com"})
    assert inline.status_code == 422 and "already exists" in inline.get_data(as_text=True)
    same = client.post(f"/contacts/{existing_id}/edit", data={"csrf_token": token, "last_name": "Own",
                                                              "email": "taken@example.com"})
    assert same.status_code == 303  # keeping one's own address is no conflict
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        assert db_session.get(Contact, other_id).email == "other@example.com"


def test_service_for_imports(make, tenant, db_session):
    make.contact(tenant, email="one@example.com")
    with tenancy.scoped(tenant.id):
        assert uniqueness.emails_taken(["ONE@example.com"]) == set()  # option off
        assert uniqueness.set_unique_email(True) == []
        assert uniqueness.emails_taken(["ONE@example.com", "two@example.com", ""]) == {"one@example.com"}
        assert uniqueness.email_taken("One@Example.com") is True


def test_only_tenant_admins_reach_the_setting(client, make, login, tenant):
    login(make.user(tenant=tenant))
    assert client.get("/contacts/settings").status_code == 403


def test_an_ordinary_role_is_refused_duplicates_too_on_postgres(client, csrf, make, tenant, admin, db_session):
    if db_session.connection().dialect.name != "postgresql":
        pytest.skip("roles and row-level security are PostgreSQL's")
    make.contact(tenant, email="role@example.com")
    assert _enable(client, csrf).status_code == 303
    db_session.execute(text("CREATE ROLE bizalom_uq_probe_a NOLOGIN"))
    db_session.execute(text("GRANT USAGE ON SCHEMA public TO bizalom_uq_probe_a"))
    db_session.execute(text("GRANT SELECT, INSERT ON contacts TO bizalom_uq_probe_a"))
    db_session.execute(text("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO bizalom_uq_probe_a"))
    db_session.execute(text("SET LOCAL ROLE bizalom_uq_probe_a"))  # no grant on crm_settings, RLS applies
    with tenancy.scoped(tenant.id):
        with pytest.raises(IntegrityError), db_session.begin_nested():
            _insert_sql(db_session, tenant.id, "Role@Example.com")
        _insert_sql(db_session, tenant.id, "fresh@example.com")
