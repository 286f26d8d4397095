"""PostgreSQL row-level security: the second wall holds even for raw SQL that skips the ORM."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from webapp import tenancy


@pytest.fixture()
def as_ordinary_role(app, db_session):
    """Switch the test's SQL to a non-superuser (superusers bypass RLS); rolled back with the test."""
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL; the ORM wall is tested everywhere")

    def _switch():
        db_session.execute(text("CREATE ROLE bizalom_rls_probe NOLOGIN"))
        db_session.execute(text("GRANT USAGE ON SCHEMA public TO bizalom_rls_probe"))
        db_session.execute(text("GRANT SELECT, INSERT, UPDATE, DELETE ON contacts, companies TO bizalom_rls_probe"))
        db_session.execute(text("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO bizalom_rls_probe"))
        db_session.execute(text("SET LOCAL ROLE bizalom_rls_probe"))
        return db_session

    return _switch


def _count(session) -> int:
    return session.execute(text("SELECT count(*) FROM contacts")).scalar()


def _set(session, tenant_id, everyone="off"):
    session.execute(text("SELECT set_config('app.tenant_id', :t, true), set_config('app.all_tenants', :a, true)"),
                    {"t": "" if tenant_id is None else str(tenant_id), "a": everyone})


def test_raw_sql_sees_only_the_tenant_in_the_setting(make, as_ordinary_role):
    mine, theirs = make.tenant(), make.tenant()
    make.contact(mine)
    make.contact(theirs)
    make.contact(theirs)
    session = as_ordinary_role()
    _set(session, mine.id)
    assert _count(session) == 1
    _set(session, theirs.id)
    assert _count(session) == 2
    _set(session, None)
    assert _count(session) == 0
    _set(session, None, everyone="on")
    assert _count(session) >= 3


def test_rows_for_another_tenant_cannot_be_written(make, as_ordinary_role):
    mine, theirs = make.tenant(), make.tenant()
    session = as_ordinary_role()
    _set(session, mine.id)
    with pytest.raises(Exception, match="row-level security"), session.begin_nested():
        session.execute(text("INSERT INTO contacts (tenant_id, first_name, last_name, created_at) "
                             "VALUES (:t, '', 'Smuggled', now())"), {"t": theirs.id})


def test_the_session_keeps_the_setting_equal_to_the_tenant_in_scope(make, db_session):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL")
    tenant = make.tenant()
    with tenancy.scoped(tenant.id):
        assert db_session.execute(text("SELECT current_setting('app.tenant_id', true)")).scalar() == str(tenant.id)
    assert db_session.execute(text("SELECT current_setting('app.tenant_id', true)")).scalar() == ""


def test_policies_are_installed_and_forced(db_session):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL")
    rows = db_session.execute(text(
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
        "WHERE relname IN ('contacts', 'companies') ORDER BY relname")).all()
    assert rows == [("companies", True, True), ("contacts", True, True)]
