"""Audit capture: every flushed create, update, trash and restore writes a row with before/after;
ORM bulk statements are audited too; Core statements that cannot be audited are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select, update

from webapp import clock, tenancy
from webapp.audit import services
from webapp.audit.bulk import UnauditedWriteError
from webapp.audit.capture import AuditImmutableError
from webapp.audit.models import AuditEntry
from webapp.crm.models import Company, Contact


def entries(db_session, tenant, **where) -> list[AuditEntry]:
    with tenancy.scoped(tenant.id):
        statement = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
        return list(db_session.scalars(statement))


@pytest.fixture()
def tenant(make):
    return make.tenant()


def test_a_create_records_every_field_it_set(db_session, tenant):
    with tenancy.scoped(tenant.id), services.actor(user_id=4242):
        company = Company(name="Kékfény Kft.", city="Pécs")
        db_session.add(company)
        db_session.flush()
    [row] = entries(db_session, tenant, record_type="company")
    assert (row.action, row.record_id, row.tenant_id, row.actor_user_id) == ("create", company.id, tenant.id, 4242)
    assert row.changes == {"name": [None, "Kékfény Kft."], "city": [None, "Pécs"]}
    assert row.occurred_at is not None


def test_an_update_records_before_and_after_of_the_changed_fields_only(db_session, make, tenant):
    contact = make.contact(tenant, first_name="Anna", email="anna@example.com")
    db_session.commit()  # expires the object: the old value must still be known
    with tenancy.scoped(tenant.id):
        contact.email = "anna.kovacs@example.com"
        contact.first_name = "Anna"  # unchanged
        db_session.flush()
    row = entries(db_session, tenant, record_type="contact", action="update")[-1]
    assert row.changes == {"email": ["anna@example.com", "anna.kovacs@example.com"]}


def test_setting_deleted_at_is_a_trash_and_clearing_it_a_restore(db_session, make, tenant):
    company = make.company(tenant)
    with tenancy.scoped(tenant.id):
        company.deleted_at = clock.now()
        db_session.flush()
        company.deleted_at = None
        db_session.flush()
    actions = [row.action for row in entries(db_session, tenant, record_id=company.id, record_type="company")]
    assert actions == ["create", "trash", "restore"]
    restore_row = entries(db_session, tenant, action="restore")[-1]
    assert restore_row.changes["deleted_at"][1] is None


def test_a_relationship_change_is_recorded_as_the_foreign_key(db_session, make, tenant):
    first, second = make.company(tenant), make.company(tenant)
    contact = make.contact(tenant, company_id=first.id)
    with tenancy.scoped(tenant.id):
        contact.company = second
        db_session.flush()
    row = entries(db_session, tenant, record_type="contact", action="update")[-1]
    assert row.changes == {"company_id": [first.id, second.id]}


def test_session_delete_is_an_erase_without_values_and_redacts_the_history(db_session, make, tenant):
    contact = make.contact(tenant, last_name="Secret")
    with tenancy.scoped(tenant.id):
        contact.phone = "+36301234567"
        db_session.flush()
        db_session.delete(contact)
        db_session.flush()
    rows = entries(db_session, tenant, record_type="contact", record_id=contact.id)
    assert [row.action for row in rows] == ["create", "update", "erase"]
    assert all(row.changes is None for row in rows)
    assert "Secret" not in repr([row.changes for row in rows])


def test_session_delete_of_a_company_unlinks_its_contacts_with_audit_rows(db_session, make, tenant):
    company = make.company(tenant)
    contact_id = make.contact(tenant, company_id=company.id).id
    company_id = company.id
    with tenancy.scoped(tenant.id):
        db_session.delete(company)
        db_session.flush()
    [unlink] = entries(db_session, tenant, action="update", record_type="contact")
    assert (unlink.record_id, unlink.changes, unlink.via) == (contact_id, {"company_id": [company_id, None]},
                                                              f"company:{company_id}")


def test_orm_bulk_update_writes_one_row_per_changed_record(db_session, make, tenant):
    a, b, c = (make.company(tenant, city=city) for city in ("Győr", "Győr", "Eger"))
    other_tenant = make.tenant()
    make.company(other_tenant, city="Győr")
    with tenancy.scoped(tenant.id):
        db_session.execute(update(Company).where(Company.city == "Győr").values(city="Sopron"))
    rows = entries(db_session, tenant, action="update")
    assert sorted(row.record_id for row in rows) == [a.id, b.id]
    assert all(row.changes == {"city": ["Győr", "Sopron"]} for row in rows)
    assert len({row.batch_id for row in rows}) == 1 and rows[0].batch_id
    assert entries(db_session, other_tenant, action="update") == []
    assert c.id not in [row.record_id for row in rows]


def test_orm_bulk_update_of_deleted_at_is_a_trash(db_session, make, tenant):
    contacts = [make.contact(tenant) for _ in range(3)]
    with tenancy.scoped(tenant.id):
        db_session.execute(update(Contact).values(deleted_at=clock.now()))
    assert len(entries(db_session, tenant, action="trash")) == len(contacts)


def test_orm_bulk_delete_erases_unlinks_children_and_redacts(db_session, make, tenant):
    company = make.company(tenant, name="Gone Bt.")
    contact = make.contact(tenant, company_id=company.id)
    with tenancy.scoped(tenant.id):
        db_session.execute(delete(Company).where(Company.id == company.id))
        db_session.expire_all()
        assert db_session.get(Contact, contact.id).company_id is None
    [erase] = entries(db_session, tenant, action="erase")
    assert (erase.record_type, erase.record_id, erase.changes) == ("company", company.id, None)
    [unlink] = entries(db_session, tenant, action="update", record_type="contact")
    assert unlink.changes == {"company_id": [company.id, None]} and unlink.via == f"company:{company.id}"
    assert entries(db_session, tenant, record_type="company", action="create")[0].changes is None


def test_core_statements_on_audited_tables_are_refused(db_session, make, tenant):
    make.contact(tenant)
    with tenancy.scoped(tenant.id), pytest.raises(UnauditedWriteError):
        db_session.execute(update(Contact.__table__).values(first_name="Sneaky"))


def test_cross_tenant_bulk_statements_on_audited_models_are_refused(db_session, make, tenant):
    make.contact(tenant)
    with pytest.raises(UnauditedWriteError):
        db_session.execute(tenancy.all_tenants(update(Contact).values(first_name="Everyone")))


def test_the_actor_of_a_job_and_its_absence(db_session, make, tenant):
    with tenancy.scoped(tenant.id), services.actor(job="workers.crm.import_contacts"):
        db_session.add(Contact(last_name="Imported"))
        db_session.flush()
    with tenancy.scoped(tenant.id):
        db_session.add(Contact(last_name="Nobody"))
        db_session.flush()
    imported, nobody = entries(db_session, tenant, record_type="contact")
    assert (imported.actor_job, imported.actor_user_id) == ("workers.crm.import_contacts", None)
    assert (nobody.actor_job, nobody.actor_user_id) == (None, None)


def test_actor_needs_exactly_one_identity():
    with pytest.raises(ValueError), services.actor():
        pass
    with pytest.raises(ValueError), services.actor(user_id=1, job="x"):
        pass


def test_a_rollback_takes_the_audit_rows_with_it(db_session, make, tenant):
    company = make.company(tenant)
    company_id = company.id
    db_session.commit()
    with tenancy.scoped(tenant.id):
        company.name = "Never saved"
        db_session.flush()
        db_session.rollback()
    assert [row.action for row in entries(db_session, tenant, record_id=company_id)] == ["create"]


def test_orm_bulk_insert_writes_a_create_row_per_record(db_session, tenant):
    with tenancy.scoped(tenant.id), services.actor(job="workers.imports.run_import"):
        result = db_session.execute(insert(Contact), [
            {"tenant_id": tenant.id, "last_name": "Első", "email": "elso@example.com", "created_at": clock.now()},
            {"tenant_id": tenant.id, "last_name": "Második", "created_at": clock.now()}])
        ids = [row[0] for row in result]
    rows = entries(db_session, tenant, action="create", record_type="contact")
    assert [row.record_id for row in rows] == ids and len(ids) == 2
    assert rows[0].changes == {"first_name": [None, ""], "last_name": [None, "Első"],
                               "email": [None, "elso@example.com"]}
    assert {row.actor_job for row in rows} == {"workers.imports.run_import"}


def test_bulk_inserts_that_cannot_be_audited_are_refused(db_session, make, tenant):

    other = make.tenant()
    with tenancy.scoped(tenant.id):
        with pytest.raises(UnauditedWriteError):
            db_session.execute(insert(Company).values(name="Own Kft.", tenant_id=tenant.id, created_at=clock.now())
                               .returning(Company.name))
        assert db_session.scalar(insert(Company).returning(Company.id),
                                 [{"name": "Id Kft.", "tenant_id": tenant.id, "created_at": clock.now()}])
        assert db_session.scalar(insert(Company).returning(Company),
                                 [{"name": "Whole Kft.", "tenant_id": tenant.id, "created_at": clock.now()}]).id
        with pytest.raises(UnauditedWriteError), db_session.begin_nested():
            db_session.execute(insert(Contact), [{"tenant_id": other.id, "last_name": "Smuggled",
                                                  "created_at": clock.now()}])
        with pytest.raises(UnauditedWriteError):
            db_session.execute(insert(Contact.__table__), [{"tenant_id": tenant.id, "last_name": "Core"}])
        with pytest.raises(AuditImmutableError):
            db_session.execute(insert(AuditEntry), [{"tenant_id": tenant.id, "record_type": "contact",
                                                     "record_id": 1, "action": "create", "occurred_at": clock.now()}])
        db_session.add(AuditEntry(record_type="contact", record_id=1, action="create", occurred_at=clock.now()))
        with pytest.raises(AuditImmutableError):
            db_session.flush()
    db_session.rollback()
