"""Who may import and see imports; idempotent starts; retention of files and reports."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.test_import_support import (  # noqa: F401 - own_instance_folder is an autouse fixture
    HEADERS,
    csv_bytes,
    import_id_of,
    own_instance_folder,
    people,
    record_of,
    run_file,
    start,
    stored_files,
    upload,
)
from webapp import tenancy
from webapp.imports import retention
from webapp.jobs import services as jobs
from webapp.jobs.models import Task

ROUTES = ("/imports/{id}", "/imports/{id}/mapping", "/imports/{id}/report.csv")


def _rejected_import(client, csrf, run_jobs) -> int:
    rows = [HEADERS, *people(2), ["", "", "bad", "", ""]]
    return run_file(client, csrf, run_jobs, csv_bytes(rows))


def test_another_tenant_cannot_see_or_download_an_import(client, csrf, run_jobs, make, login, db_session):
    owner_tenant = make.tenant()
    login(make.user(tenant=owner_tenant))
    import_id = _rejected_import(client, csrf, run_jobs)
    for route in ROUTES:
        response = client.get(route.format(id=import_id))
        assert response.status_code == 200, route
        response.close()
    login(make.user(tenant=make.tenant()))
    for route in ROUTES:
        assert client.get(route.format(id=import_id)).status_code == 404, route
    token = csrf("/imports/new")
    assert start(client, token, import_id, mode="valid_rows").status_code == 404
    assert "contacts.csv" not in client.get("/imports").get_data(as_text=True)
    assert record_of(db_session, owner_tenant, import_id).status == "rejected"


def test_a_colleague_in_the_same_tenant_may_see_it(client, csrf, run_jobs, make, login):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    import_id = _rejected_import(client, csrf, run_jobs)
    login(make.user(tenant=tenant, role="admin"))
    assert client.get(f"/imports/{import_id}").status_code == 200


@pytest.mark.parametrize("path", ["/imports", "/imports/new", "/imports/1", "/imports/1/mapping",
                                  "/imports/1/report.csv"])
def test_staff_are_refused(client, make, login, path):
    login(make.user(staff_role="operator"))
    assert client.get(path).status_code == 403


def test_staff_cannot_upload(client, csrf, make, login):
    login(make.user(staff_role="support"))
    token = csrf("/account/security")
    assert upload(client, token, csv_bytes([HEADERS, *people(1)])).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/imports/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_double_submit_starts_one_job(client, csrf, run_jobs, make, login, db_session):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, csv_bytes([HEADERS, *people(3)])))
    assert start(client, token, import_id).status_code == 303
    assert start(client, token, import_id).status_code == 303  # already queued: shown, not started again
    assert run_jobs() == 1
    assert db_session.scalar(select(func.count(Task.id)).where(Task.name == "workers.imports.run_import")) == 1
    assert record_of(db_session, tenant, import_id).rows_imported == 3


def test_files_and_reports_are_deleted_after_the_retention_period(app, client, csrf, run_jobs, make, login,
                                                                   db_session):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    import_id = _rejected_import(client, csrf, run_jobs)
    assert len(stored_files(app, tenant)) == 2  # the upload and its report
    stray = stored_files(app, tenant)[0].parent / "0123abcd"
    stray.write_bytes(b"left over by a failed request")
    os.utime(stray, (time.time() - 8 * 86400,) * 2)
    jobs.enqueue("workers.imports.purge_import_files", queue_name="maintenance")
    db_session.commit()
    assert run_jobs() == 1
    assert len(stored_files(app, tenant)) == 2 and not stray.exists()  # not old enough yet; the stray is
    with time_machine.travel(datetime.now(UTC) + timedelta(days=8)):
        jobs.enqueue("workers.imports.purge_import_files", queue_name="maintenance")
        db_session.commit()
        assert run_jobs() == 1
    assert stored_files(app, tenant) == []
    record = record_of(db_session, tenant, import_id)
    assert record.files_deleted_at is not None and record.rows_rejected == 1  # the record stays
    assert record.headers == []  # column names may be a person's data when a file has no header row
    assert client.get(f"/imports/{import_id}/report.csv").status_code == 404
    page = client.get(f"/imports/{import_id}").get_data(as_text=True)
    assert "report has been deleted" in page
    assert client.get(f"/imports/{import_id}/mapping").status_code == 303


def test_an_import_whose_worker_died_is_marked_interrupted(client, csrf, make, login, db_session):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, csv_bytes([HEADERS, *people(1)])))
    start(client, token, import_id)
    record = record_of(db_session, tenant, import_id)
    with tenancy.scoped(tenant.id):
        record.status = "running"
        db_session.get(Task, record.task_id).state = "failed"  # e.g. the work horse was killed
        db_session.commit()
    page = client.get(f"/imports/{import_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "interrupted" in page and "hx-get" not in page
    retention.mark_interrupted(datetime.now(UTC))
    db_session.commit()
    record = record_of(db_session, tenant, import_id)
    assert (record.status, record.error_code, record.mappable) == ("failed", "interrupted", True)


def test_the_job_works_behind_row_level_security(client, csrf, run_jobs, make, login, db_session):
    """On PostgreSQL, as an ordinary role (superusers bypass RLS): the job finds its import with the one
    all-tenants lookup, then writes companies and contacts as the tenant in scope."""
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL")
    from sqlalchemy import text

    tenant = make.tenant()
    login(make.user(tenant=tenant))
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, csv_bytes([HEADERS, *people(3)])))
    start(client, token, import_id)
    for statement in ("CREATE ROLE bizalom_import_probe NOLOGIN",
                      "GRANT USAGE ON SCHEMA public TO bizalom_import_probe",
                      "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO bizalom_import_probe",
                      "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO bizalom_import_probe",
                      "SET LOCAL ROLE bizalom_import_probe",
                      "SELECT set_config('app.tenant_id', '', true), set_config('app.all_tenants', 'off', true)"):
        db_session.execute(text(statement))
    assert db_session.execute(text("SELECT count(*) FROM import_records")).scalar() == 0  # no tenant: nothing
    run_jobs()
    record = record_of(db_session, tenant, import_id)
    assert (record.status, record.rows_imported) == ("imported", 3)
    with tenancy.scoped(tenant.id):
        assert db_session.execute(text("SELECT count(*) FROM contacts")).scalar() == 3
    db_session.execute(text("RESET ROLE"))
