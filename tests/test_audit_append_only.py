"""Audit rows are append-only: the ORM refuses edits, the database refuses UPDATE and DELETE
(except a redaction of the values, and deletes inside ``unlocked()``); rows are tenant-scoped."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError

from webapp import tenancy
from webapp.audit import services
from webapp.audit.capture import AuditImmutableError
from webapp.audit.models import AuditEntry


@pytest.fixture()
def logged(db_session, make):
    tenant = make.tenant()
    make.company(tenant, name="Append Only Zrt.")
    with tenancy.scoped(tenant.id):
        entry = db_session.scalars(select(AuditEntry)).one()
    return tenant, entry


def _raw(db_session, sql: str, **params):
    with db_session.begin_nested():
        return db_session.execute(text(sql), params)


def test_orm_changes_to_audit_rows_are_refused(db_session, logged):
    tenant, entry = logged
    with tenancy.scoped(tenant.id):
        entry.action = "update"
        with pytest.raises(AuditImmutableError):
            db_session.flush()
    db_session.rollback()


def test_orm_bulk_statements_on_the_log_are_refused(db_session, logged):
    tenant, _entry = logged
    with tenancy.scoped(tenant.id):
        with pytest.raises(AuditImmutableError):
            db_session.execute(update(AuditEntry).values(action="update"))
        with pytest.raises(AuditImmutableError):
            db_session.execute(delete(AuditEntry))


@pytest.mark.parametrize("sql", [
    "UPDATE audit_log SET action = 'update' WHERE id = :id",
    "UPDATE audit_log SET changes = NULL, note = 'rewritten' WHERE id = :id",
    "UPDATE audit_log SET record_id = record_id + 1 WHERE id = :id",
    "DELETE FROM audit_log WHERE id = :id",
])
def test_the_database_refuses_rewrites_and_deletes(db_session, logged, sql):
    _tenant, entry = logged
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(db_session, sql, id=entry.id)


def test_truncate_is_refused_on_postgresql(db_session, logged):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(db_session, "TRUNCATE audit_log")


def test_a_redaction_of_the_values_is_the_one_update_allowed(db_session, logged):
    tenant, entry = logged
    _raw(db_session, "UPDATE audit_log SET changes = NULL WHERE id = :id", id=entry.id)
    db_session.expire_all()
    with tenancy.scoped(tenant.id):
        assert db_session.get(AuditEntry, entry.id).changes is None


def test_deleting_needs_an_explicit_unlock_for_this_transaction(db_session, make, logged):
    tenant, entry = logged
    make.company(tenant)
    with services.unlocked("tenant deleted"):
        _raw(db_session, "DELETE FROM audit_log WHERE id = :id", id=entry.id)
    assert db_session.scalar(text("SELECT count(*) FROM audit_log_unlock")) == 0
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(db_session, "DELETE FROM audit_log")
    with tenancy.scoped(tenant.id):
        assert db_session.scalar(select(func.count(AuditEntry.id))) == 1


def test_audit_rows_are_scoped_to_the_tenant(db_session, make):
    mine, theirs = make.tenant(), make.tenant()
    make.contact(mine)
    make.contact(theirs, last_name="Theirs")
    with tenancy.scoped(mine.id):
        rows = db_session.scalars(select(AuditEntry)).all()
        assert {row.tenant_id for row in rows} == {mine.id}
        assert "Theirs" not in repr([row.changes for row in rows])
    with pytest.raises(tenancy.TenantScopeError):
        db_session.scalars(select(AuditEntry)).all()


def test_row_level_security_confines_raw_sql_on_postgresql(db_session, make):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL")
    mine, theirs = make.tenant(), make.tenant()
    make.contact(mine)
    make.contact(theirs)
    make.company(theirs)
    db_session.execute(text("CREATE ROLE bizalom_audit_probe NOLOGIN"))
    db_session.execute(text("GRANT USAGE ON SCHEMA public TO bizalom_audit_probe"))
    db_session.execute(text("GRANT SELECT ON audit_log TO bizalom_audit_probe"))
    db_session.execute(text("SET LOCAL ROLE bizalom_audit_probe"))
    db_session.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(mine.id)})
    assert db_session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
    db_session.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(theirs.id)})
    assert db_session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 2
