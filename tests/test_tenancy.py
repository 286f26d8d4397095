"""Tenant isolation by construction: queries are scoped, unscoped access to customer data fails."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from webapp import tenancy
from webapp.crm.models import Company, Contact


@pytest.fixture()
def two_tenants(make):
    mine, theirs = make.tenant(), make.tenant()
    mine_contact = make.contact(mine, last_name="Mine")
    theirs_contact = make.contact(theirs, last_name="Theirs", company_id=make.company(theirs).id)
    return mine, theirs, mine_contact, theirs_contact


def test_selects_see_only_the_current_tenant(db_session, two_tenants):
    mine, _theirs, mine_contact, theirs_contact = two_tenants
    with tenancy.scoped(mine.id):
        assert db_session.scalars(select(Contact)).all() == [mine_contact]
        assert db_session.get(Contact, theirs_contact.id) is None or theirs_contact in db_session
        assert db_session.scalar(select(Contact).where(Contact.id == theirs_contact.id)) is None
        assert db_session.scalar(select(func.count(Company.id))) == 0


def test_joins_and_relationships_are_scoped_too(db_session, two_tenants):
    mine, _theirs, _m, theirs_contact = two_tenants
    db_session.expire_all()
    with tenancy.scoped(mine.id):
        joined = db_session.scalars(select(Contact).join(Company, Contact.company_id == Company.id)).all()
        assert joined == []


def test_bulk_updates_and_deletes_are_scoped(db_session, two_tenants):
    mine, theirs, _m, theirs_contact = two_tenants
    with tenancy.scoped(mine.id):
        db_session.execute(update(Contact).values(first_name="Changed"))
        db_session.execute(delete(Contact).where(Contact.last_name == "Theirs"))
    with tenancy.scoped(theirs.id):
        db_session.expire_all()
        survivor = db_session.scalar(select(Contact))
        assert survivor.id == theirs_contact.id and survivor.first_name != "Changed"


def test_no_tenant_in_scope_means_no_customer_data(db_session, two_tenants):
    with pytest.raises(tenancy.TenantScopeError):
        db_session.scalars(select(Contact)).all()
    with pytest.raises(tenancy.TenantScopeError):
        db_session.execute(update(Contact).values(first_name="x"))


def test_writing_into_another_tenant_is_refused(db_session, two_tenants):
    mine, theirs, _m, _t = two_tenants
    with tenancy.scoped(mine.id):
        db_session.add(Contact(tenant_id=theirs.id, last_name="Smuggled"))
        with pytest.raises(tenancy.TenantScopeError):
            db_session.flush()
    db_session.rollback()


def test_new_rows_take_the_tenant_in_scope(db_session, make):
    tenant = make.tenant()
    with tenancy.scoped(tenant.id):
        contact = Contact(last_name="Stamped")
        db_session.add(contact)
        db_session.flush()
    assert contact.tenant_id == tenant.id


def test_explicit_cross_tenant_statement_for_system_jobs(db_session, two_tenants):
    assert db_session.scalar(tenancy.all_tenants(select(func.count(Contact.id)))) >= 2


def test_staff_requests_carry_no_tenant(client, make, login):
    make.contact(make.tenant())
    login(make.user(staff_role="operator"))
    html = client.get("/").get_data(as_text=True)
    assert "Customer data of tenants is not shown to staff" in html


def test_tenant_user_home_counts_only_their_tenant(client, make, login):
    mine, theirs = make.tenant(), make.tenant()
    for _ in range(3):
        make.contact(mine)
    for _ in range(5):
        make.contact(theirs)
    login(make.user(tenant=mine))
    html = client.get("/").get_data(as_text=True)
    assert "<dd>3</dd>" in html


def test_counts_over_a_bare_from_are_scoped_too(db_session, two_tenants):
    mine, _theirs, _m, _t = two_tenants
    with tenancy.scoped(mine.id):
        assert db_session.scalar(select(func.count()).select_from(Contact)) == 1
        assert db_session.scalar(select(func.count()).select_from(Company)) == 0
    with pytest.raises(tenancy.TenantScopeError):
        db_session.scalar(select(func.count()).select_from(Contact))
    assert db_session.scalar(tenancy.all_tenants(select(func.count()).select_from(Contact))) >= 2
