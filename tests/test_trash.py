"""Trash and restore: cascade rules, one audit row per record, bulk update, erasure; the trash page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from webapp import tenancy
from webapp.audit import services
from webapp.audit.models import AuditEntry
from webapp.crm.models import Company, Contact


def entries(db_session, tenant, **where) -> list[AuditEntry]:
    with tenancy.scoped(tenant.id):
        return list(db_session.scalars(select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)))


def in_trash(db_session, tenant, model) -> set[int]:
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        return set(db_session.scalars(select(model.id).where(model.deleted_at.is_not(None))))


@dataclass(frozen=True)
class Ref:
    id: int
    name: str = ""


@pytest.fixture()
def firm(make):
    """A tenant, a company with two contacts, and one contact of no company (ids: objects expire)."""
    tenant = make.tenant()
    company = make.company(tenant, name="Trash Kft.")
    staff = [Ref(make.contact(tenant, company_id=company.id).id) for _ in range(2)]
    loner = make.contact(tenant, last_name="Loner")
    return tenant, Ref(company.id, company.name), staff, Ref(loner.id, loner.last_name)


def test_trashing_a_company_takes_its_live_contacts_along_in_one_batch(db_session, firm):
    tenant, company, (a, b), loner = firm
    with tenancy.scoped(tenant.id):
        assert services.trash(Company, [company.id]) == 3
    assert in_trash(db_session, tenant, Company) == {company.id}
    assert in_trash(db_session, tenant, Contact) == {a.id, b.id}
    rows = entries(db_session, tenant, action="trash")
    assert len({row.batch_id for row in rows}) == 1
    assert {(row.record_type, row.record_id, row.via) for row in rows} == {
        ("company", company.id, None), ("contact", a.id, f"company:{company.id}"),
        ("contact", b.id, f"company:{company.id}")}
    assert all(row.changes["deleted_at"][0] is None and row.changes["deleted_at"][1] for row in rows)


def test_restoring_the_company_restores_exactly_its_batch(db_session, firm):
    tenant, company, (a, b), _loner = firm
    with tenancy.scoped(tenant.id):
        services.trash(Contact, [a.id])  # earlier, on its own: stays in the trash
        services.trash(Company, [company.id])
        assert services.restore(Company, [company.id]) == 2
    assert in_trash(db_session, tenant, Company) == set()
    assert in_trash(db_session, tenant, Contact) == {a.id}
    restored = entries(db_session, tenant, action="restore")
    assert {(row.record_type, row.record_id) for row in restored} == {("company", company.id), ("contact", b.id)}
    assert all(row.changes["deleted_at"][1] is None and row.changes["deleted_at"][0] for row in restored)


def test_restoring_a_contact_brings_back_its_trashed_company_but_not_the_siblings(db_session, firm):
    tenant, company, (a, b), _loner = firm
    with tenancy.scoped(tenant.id):
        services.trash(Company, [company.id])
        assert services.restore(Contact, [a.id]) == 2
    assert in_trash(db_session, tenant, Company) == set()
    assert in_trash(db_session, tenant, Contact) == {b.id}
    [company_row] = entries(db_session, tenant, action="restore", record_type="company")
    assert company_row.via == f"contact:{a.id}"


def test_a_contact_trashed_again_later_is_not_part_of_the_old_batch(db_session, firm):
    tenant, company, (a, b), _loner = firm
    with tenancy.scoped(tenant.id):
        services.trash(Company, [company.id])
        services.restore(Contact, [a.id])  # brings the company back too
        services.trash(Company, [company.id])  # a new batch: company + a
        services.restore(Company, [company.id])
    assert in_trash(db_session, tenant, Contact) == {b.id}


def test_trash_and_restore_ignore_records_of_other_tenants_and_repeats(db_session, make, firm):
    tenant, company, _staff, loner = firm
    other = make.tenant()
    theirs = Ref(make.contact(other).id)
    with tenancy.scoped(tenant.id):
        assert services.trash(Contact, [loner.id, theirs.id]) == 1
        assert services.trash(Contact, [loner.id]) == 0
        assert services.restore(Contact, [theirs.id, company.id]) == 0
    assert in_trash(db_session, other, Contact) == set()
    assert len(entries(db_session, tenant, action="trash")) == 1


def test_services_need_a_tenant_in_scope(firm):
    with pytest.raises(tenancy.TenantScopeError):
        services.trash(Contact, [firm[3].id])


def test_bulk_update_writes_one_row_per_record_that_changed(db_session, firm):
    tenant, company, (a, b), loner = firm
    with tenancy.scoped(tenant.id):
        db_session.add(new := Company(name="Other Bt."))
        db_session.flush()
        other = Ref(new.id)
        assert services.bulk_update(Contact, [a.id, b.id, loner.id], {"company_id": other.id}) == 3
        assert services.bulk_update(Contact, [a.id], {"company_id": other.id}) == 0
        with pytest.raises(ValueError):
            services.bulk_update(Contact, [a.id], {"deleted_at": None})
        with pytest.raises(ValueError):
            services.bulk_update(Contact, [a.id], {"tenant_id": 1})
    rows = entries(db_session, tenant, action="update", record_type="contact")
    assert {row.record_id: row.changes["company_id"] for row in rows} == {
        a.id: [company.id, other.id], b.id: [company.id, other.id], loner.id: [None, other.id]}


def test_many_records_are_handled_in_chunks(db_session, make, monkeypatch):
    from webapp.audit import trash

    monkeypatch.setattr(trash, "CHUNK", 3)
    tenant = make.tenant()
    company = Ref(make.company(tenant).id)
    ids = [make.contact(tenant, company_id=company.id).id for _ in range(7)]
    with tenancy.scoped(tenant.id):
        assert services.trash(Company, [company.id]) == 8
        assert services.restore(Company, [company.id]) == 8
    assert in_trash(db_session, tenant, Contact) == set()
    assert sorted(row.record_id for row in entries(db_session, tenant, action="restore", record_type="contact")) == ids


def test_erase_deletes_at_once_without_values_and_redacts_the_history(db_session, firm):
    tenant, company, (a, b), _loner = firm
    with tenancy.scoped(tenant.id):
        services.trash(Contact, [a.id])
        assert services.erase(Contact, [a.id], note="request 2026-17") == 1
        assert services.erase(Company, [company.id]) == 1
        db_session.expire_all()
        assert db_session.get(Contact, a.id) is None and db_session.get(Company, company.id) is None
        assert db_session.get(Contact, b.id).company_id is None
    erased = entries(db_session, tenant, action="erase")
    assert [(row.record_type, row.record_id, row.changes, row.note) for row in erased] == [
        ("contact", a.id, None, "request 2026-17"), ("company", company.id, None, "erasure request")]
    history = entries(db_session, tenant, record_type="contact", record_id=a.id)
    assert [row.action for row in history] == ["create", "trash", "erase"]
    assert all(row.changes is None for row in history)
    [unlink] = entries(db_session, tenant, action="update", record_type="contact")
    assert (unlink.record_id, unlink.changes) == (b.id, {"company_id": [company.id, None]})


# -- the trash page --------------------------------------------------------------------------

@pytest.fixture()
def member(make, firm, login):
    user = make.user(tenant=firm[0])
    login(user)
    return user


def test_the_trash_page_lists_the_tenants_trashed_records(client, db_session, make, firm, member):
    tenant, company, _staff, loner = firm
    other = make.tenant()
    theirs = Ref(make.contact(other, last_name="Elsewhere").id)
    with tenancy.scoped(tenant.id):
        services.trash(Contact, [loner.id])
    with tenancy.scoped(other.id):
        services.trash(Contact, [theirs.id])
    html = client.get("/trash").get_data(as_text=True)
    assert loner.name in html and f'value="contact:{loner.id}"' in html
    assert "Elsewhere" not in html and company.name not in html
    assert "deleted for good after 30 days" in html


def test_restore_posts_answer_303_and_are_audited_with_the_signed_in_user(client, db_session, csrf, firm, member):
    tenant, company, (a, b), _loner = firm
    with tenancy.scoped(tenant.id):
        services.trash(Company, [company.id])
    db_session.commit()
    response = client.post("/trash/restore", data={"one": f"company:{company.id}", "csrf_token": csrf("/trash")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/trash")
    assert in_trash(db_session, tenant, Contact) == set()
    restored = entries(db_session, tenant, action="restore")
    assert len(restored) == 3 and {row.actor_user_id for row in restored} == {member.id}
    assert "3 records were restored." in client.get("/trash").get_data(as_text=True)


def test_restoring_checked_items_and_junk(client, db_session, csrf, firm, member):
    tenant, _company, (a, b), loner = firm
    with tenancy.scoped(tenant.id):
        services.trash(Contact, [a.id, loner.id])
    db_session.commit()
    token = csrf("/trash")
    response = client.post("/trash/restore", data={"item": [f"contact:{loner.id}", "nonsense", "user:1"],
                                                    "csrf_token": token})
    assert response.status_code == 303
    assert in_trash(db_session, tenant, Contact) == {a.id}
    response = client.post("/trash/restore", data={"item": ["contact:abc"], "csrf_token": token},
                           follow_redirects=True)
    assert "Choose what to restore." in response.get_data(as_text=True)


def test_staff_cannot_see_a_tenants_trash(client, make, login):
    login(make.user(staff_role="operator"))
    assert client.get("/trash").status_code == 403
