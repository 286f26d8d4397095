"""Exports on PostgreSQL with row-level security: the table has the policy, and the jobs work as an
ordinary role (which the policies bind, unlike the superuser the tests connect as)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import text

from tests.test_exports import admin, export_dir, record_of  # noqa: F401 - fixtures
from webapp import tenancy
from webapp.exports import services
from webapp.jobs import services as jobs


@pytest.fixture(autouse=True)
def _postgres_only(db_session):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL")


def test_the_exports_table_has_a_forced_policy(db_session):
    row = db_session.execute(text("SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                                  "WHERE relname = 'exports'")).one()
    assert tuple(row) == (True, True)


def test_the_jobs_work_as_an_ordinary_role(db_session, admin, make, run_jobs, export_dir):  # noqa: F811
    make.contact(admin.tenant)
    make.contact(make.tenant())
    with tenancy.scoped(admin.tenant_id):
        record, _token = services.start(admin, "contacts", "xml", {})
        export_id = record.id
    db_session.commit()
    db_session.execute(text("CREATE ROLE bizalom_export_probe NOLOGIN"))
    db_session.execute(text("GRANT USAGE ON SCHEMA public TO bizalom_export_probe"))
    db_session.execute(text("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                            "TO bizalom_export_probe"))
    db_session.execute(text("SET LOCAL ROLE bizalom_export_probe"))
    run_jobs()
    done = record_of(db_session, export_id)
    assert done.row_count == 1 and (export_dir / done.file_path).is_file()
    with time_machine.travel(done.expires_at + timedelta(minutes=1)):
        jobs.enqueue("workers.exports.purge_expired_exports", queue_name="maintenance")
        db_session.commit()
        run_jobs()
    assert record_of(db_session, export_id).purged_at is not None
    assert not (export_dir / done.file_path).exists()
