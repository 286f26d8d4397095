"""Fuzzed company, note and task forms: never a 500, bad input changes nothing, good input is stored."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp import tenancy
from webapp.activities.models import Note, Task
from webapp.crm.models import Company

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.binary(max_size=200).map(
    lambda b: b.decode("latin-1"))
short = texts | st.sampled_from(["", " ", "Kft.", "https://example.com", "+36 20 123 4567", "HU", "2026-02-30",
                                  "9999-01-01", "2026-05-01"])


def _setup(make, login, csrf, holder):
    """Fixtures run once per test, so the tenant and login are made on the first example only."""
    if not hasattr(holder, "fuzz_tenant"):
        holder.fuzz_tenant = make.tenant()
        holder.fuzz_user = make.user(tenant=holder.fuzz_tenant)
        login(holder.fuzz_user)
        holder.fuzz_contact = make.contact(holder.fuzz_tenant).id
        holder.fuzz_token = csrf("/companies")
    return holder.fuzz_tenant.id


def _count(db_session, tenant_id, model) -> int:
    with tenancy.scoped(tenant_id):
        return db_session.scalar(select(func.count(model.id)))


@FUZZ
@given(name=short, website=short, phone=short, street=short, postcode=short, city=short, country=short)
def test_company_form(client, csrf, make, login, db_session, name, website, phone, street, postcode, city, country):
    tenant_id = _setup(make, login, csrf, make)
    before = _count(db_session, tenant_id, Company)
    response = client.post("/companies/new", data={
        "csrf_token": make.fuzz_token, "name": name, "website": website, "phone": phone, "street": street,
        "postcode": postcode, "city": city, "country": country})
    assert response.status_code in (303, 422), response.get_data(as_text=True)[:300]
    assert _count(db_session, tenant_id, Company) == before + (response.status_code == 303)
    if response.status_code == 303:
        with tenancy.scoped(tenant_id):
            stored = db_session.scalars(select(Company).order_by(Company.id.desc())).first()
        assert stored.name == name.strip() and stored.name


@FUZZ
@given(body=texts)
def test_note_form(client, csrf, make, login, db_session, body):
    tenant_id = _setup(make, login, csrf, make)
    before = _count(db_session, tenant_id, Note)
    response = client.post(f"/records/contact/{make.fuzz_contact}/notes",
                           data={"csrf_token": make.fuzz_token, "body": body})
    assert response.status_code in (303, 422)
    assert _count(db_session, tenant_id, Note) == before + (response.status_code == 303)


@FUZZ
@given(title=short, due_on=short, assignee=short | st.just("self"))
def test_task_form(client, csrf, make, login, db_session, title, due_on, assignee):
    tenant_id = _setup(make, login, csrf, make)
    if assignee == "self":
        assignee = str(make.fuzz_user.id)
    before = _count(db_session, tenant_id, Task)
    response = client.post(f"/records/contact/{make.fuzz_contact}/tasks", headers={"HX-Request": "true"},
                           data={"csrf_token": make.fuzz_token, "title": title, "due_on": due_on,
                                 "assignee_id": assignee})
    assert response.status_code in (200, 422)
    assert _count(db_session, tenant_id, Task) == before + (response.status_code == 200)
