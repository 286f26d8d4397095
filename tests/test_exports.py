"""Exports: who may export, the job and its progress, download links that expire, the export log."""

from __future__ import annotations

import hashlib
import html
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rq.job import Job
from sqlalchemy import select

from webapp.exports import producer
from webapp.exports.models import ExportRecord
from webapp.jobs import services as jobs
from webapp.jobs.models import Task
from webapp.seclog import drain
from webapp.seclog.models import SecurityEvent

LINK_RE = re.compile(r'href="(/exports/\d+/download\?token=[^"]+)"')


@pytest.fixture()
def export_dir(app, tmp_path, monkeypatch):
    """Export files of this test go to its own folder."""
    monkeypatch.setitem(app.config, "INSTANCE_PATH", str(tmp_path))
    return tmp_path / "exports"


@pytest.fixture()
def admin(make):
    return make.user(tenant=make.tenant(), role="admin")


def start_export(client, csrf, **form) -> int:
    data = {"entity": "contacts", "format": "csv", "csrf_token": csrf("/exports"), **form}
    response = client.post("/exports", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def download_link(client, export_id: int) -> str:
    page = client.get(f"/exports/{export_id}").get_data(as_text=True)
    match = LINK_RE.search(page)
    assert match, page[:2000]
    return html.unescape(match.group(1))


def exported(client, csrf, run_jobs, **form) -> tuple[int, bytes]:
    """Start an export through the form, run the job, download the file."""
    export_id = start_export(client, csrf, **form)
    assert run_jobs() >= 1
    response = client.get(download_link(client, export_id))
    assert response.status_code == 200
    content = response.data
    response.close()
    return export_id, content


def record_of(db_session, export_id: int) -> ExportRecord:
    """The export row, detached: its attributes stay readable without a tenant in scope."""
    db_session.expire_all()
    statement = select(ExportRecord).where(ExportRecord.id == export_id)
    record = db_session.scalars(statement.execution_options(all_tenants=True)).one()
    db_session.expunge(record)
    return record


def test_a_tenant_admin_exports_and_the_log_holds_who_what_rows_and_hash(db_session, admin, make, client, csrf,
                                                                         login, run_jobs, export_dir):
    make.contact(admin.tenant, last_name="Kiss")
    make.contact(admin.tenant, last_name="Kovács")
    make.contact(admin.tenant, last_name="Kocsis", deleted_at=datetime.now(UTC))
    make.contact(make.tenant(), last_name="Kovács-Foreign")
    db_session.commit()
    login(admin)
    export_id, content = exported(client, csrf, run_jobs, search="ko", format="csv")

    record = record_of(db_session, export_id)
    assert (record.requested_by_id, record.entity, record.format) == (admin.id, "contacts", "csv")
    assert record.filters == {"search": "ko", "company_id": None, "include_trashed": False}
    assert record.row_count == 1 and record.finished_at is not None
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    on_disk = export_dir / record.file_path
    assert on_disk.read_bytes() == content and on_disk.parent.name == str(admin.tenant_id)
    assert db_session.get(Task, record.task_id).state == "finished" and record.task_id == f"export-{export_id}"

    drain.drain()
    event = db_session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "data_exported")
                               .order_by(SecurityEvent.seq.desc())).first()
    assert (event.user_id, event.tenant_id) == (admin.id, admin.tenant_id)
    assert json.loads(event.detail) == {"export_id": export_id, "entity": "contacts", "format": "csv", "rows": 1,
                                        "filter": record.filters, "sha256": record.sha256}
    downloads = db_session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "export_downloaded")).all()
    assert json.loads(downloads[-1].detail)["export_id"] == export_id

    listing = client.get("/exports").get_data(as_text=True)
    assert record.sha256 in listing and admin.name in listing and "“ko”" in listing


def test_the_log_page_escapes_the_filter(db_session, admin, client, csrf, login, export_dir):
    db_session.commit()
    login(admin)
    start_export(client, csrf, search="<b>x</b>")
    listing = client.get("/exports").get_data(as_text=True)
    assert "<b>x</b>" not in listing and "&lt;b&gt;x&lt;/b&gt;" in listing


def test_progress_fragment_polls_until_done_with_and_without_htmx(db_session, admin, make, client, csrf, login,
                                                                  run_jobs, redis_conn, export_dir):
    make.contact(admin.tenant)
    db_session.commit()
    login(admin)
    export_id = start_export(client, csrf)
    fragment = client.get(f"/exports/{export_id}", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "HX-Request" in fragment.headers["Vary"]
    assert f'hx-get="/exports/{export_id}"' in body and 'hx-trigger="load delay:1s"' in body
    assert 'hx-swap="outerHTML"' in body and "/download" not in body
    page = client.get(f"/exports/{export_id}").get_data(as_text=True)
    assert "<html" in page and 'http-equiv="refresh"' in page

    task = db_session.get(Task, f"export-{export_id}")
    task.state = "started"
    db_session.commit()
    job = Job.fetch(task.id, connection=redis_conn)
    job.meta.update(progress=42, message="2100/5000")
    job.save_meta()
    running = client.get(f"/exports/{export_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'value="42"' in running and "2100/5000" in running

    task.state = "queued"
    db_session.commit()
    run_jobs()
    done = client.get(f"/exports/{export_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-get" not in done and LINK_RE.search(done) and 'hx-boost="false"' in done
    page = client.get(f"/exports/{export_id}").get_data(as_text=True)
    assert "<html" in page and 'http-equiv="refresh"' not in page and LINK_RE.search(page)


def test_progress_is_reported_after_every_batch(db_session, admin, make, client, csrf, login, run_jobs, export_dir,
                                                monkeypatch):
    import workers.exports
    from webapp.exports import sources

    for _ in range(5):
        make.contact(admin.tenant)
    db_session.commit()
    login(admin)
    reports = []
    monkeypatch.setattr(sources, "BATCH_SIZE", 2)
    monkeypatch.setattr(workers.exports, "report_progress", lambda percent, message: reports.append((percent, message)))
    export_id = start_export(client, csrf, format="xml")
    run_jobs()
    assert reports == [(40, "2/5"), (80, "4/5"), (99, "5/5")]
    assert record_of(db_session, export_id).row_count == 5


def test_the_link_is_shown_only_to_the_requester_and_fits_only_its_export(db_session, admin, make, client, csrf, login,
                                                                          run_jobs, app, export_dir):
    make.contact(admin.tenant)
    colleague = make.user(tenant=admin.tenant, role="admin")
    db_session.commit()
    login(admin)
    first, _ = exported(client, csrf, run_jobs)
    second = start_export(client, csrf)
    run_jobs()
    link = download_link(client, first)
    other_token = download_link(client, second).split("token=")[1]
    assert client.get(f"/exports/{first}/download?token={other_token}").status_code == 403
    assert client.get(f"/exports/{first}/download?token=guess").status_code == 403
    assert client.get(f"/exports/{first}/download").status_code == 403

    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', other.get("/login").get_data(as_text=True)).group(1)
    other.post("/login", data={"email": colleague.email, "password": make.PASSWORD, "csrf_token": token})
    page = other.get(f"/exports/{first}").get_data(as_text=True)
    assert "/download" not in page and "Only the person who started this export" in page
    response = other.get(link)
    assert response.status_code == 200  # the link itself is the capability, for an admin of the tenant
    response.close()


def test_another_tenants_export_is_not_found(db_session, admin, make, client, csrf, login, run_jobs, export_dir):
    stranger = make.user(tenant=make.tenant(), role="admin")
    db_session.commit()
    login(admin)
    export_id = start_export(client, csrf)
    run_jobs()
    link = download_link(client, export_id)
    client.post("/logout", data={"csrf_token": csrf("/exports")})
    login(stranger)
    assert client.get(f"/exports/{export_id}").status_code == 404
    assert client.get(link).status_code == 404
    assert f'id="export-row-{export_id}"' not in client.get("/exports").get_data(as_text=True)


def test_expired_link_is_gone_and_the_purge_job_deletes_the_file(db_session, admin, make, client, csrf, login,
                                                                 run_jobs, export_dir):
    make.contact(admin.tenant)
    db_session.commit()
    login(admin)
    export_id, _ = exported(client, csrf, run_jobs)
    link = download_link(client, export_id)
    record = record_of(db_session, export_id)
    path = export_dir / record.file_path
    stray = export_dir / str(admin.tenant_id) / "left-by-a-crash.csv.part"
    stray.write_text("half")
    assert record.expires_at - record.created_at == timedelta(hours=24)

    with time_machine.travel(record.expires_at + timedelta(minutes=1)):
        login(admin)  # the old session has timed out meanwhile
        gone = client.get(link)
        assert gone.status_code == 410 and "This download link has expired" in gone.get_data(as_text=True)
        assert path.exists()
        jobs.enqueue("workers.exports.purge_expired_exports", queue_name="maintenance")
        db_session.commit()
        run_jobs()
        assert not path.exists() and not stray.exists()
        assert record_of(db_session, export_id).purged_at is not None
        assert client.get(link).status_code == 410
        row = client.get("/exports").get_data(as_text=True).split(f'id="export-row-{export_id}"')[1]
        assert "expired" in row.split("</tr>")[0]


def test_purge_keeps_live_exports(db_session, admin, make, client, csrf, login, run_jobs, export_dir):
    make.contact(admin.tenant)
    db_session.commit()
    login(admin)
    export_id, _ = exported(client, csrf, run_jobs)
    path = export_dir / record_of(db_session, export_id).file_path
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2)):
        assert producer.purge_expired() == 0 and producer.sweep_orphans() == 0
    assert path.exists()


@pytest.mark.parametrize(("who", "expected"), [("user", 403), ("staff", 403), ("anonymous", 302)])
def test_only_tenant_admins_may_export(db_session, admin, make, client, csrf, login, run_jobs, export_dir, who,
                                       expected):
    db_session.commit()
    login(admin)
    export_id = start_export(client, csrf)
    run_jobs()
    link = download_link(client, export_id)
    token = csrf("/exports")
    client.post("/logout", data={"csrf_token": token})
    if who == "user":
        login(make.user(tenant=admin.tenant, role="user"))
    elif who == "staff":
        login(make.user(staff_role="operator"))
    token = csrf("/login") if who == "anonymous" else csrf("/account/security")
    for response in (client.get("/exports"), client.get(f"/exports/{export_id}"), client.get(link),
                     client.post("/exports", data={"entity": "contacts", "format": "csv", "csrf_token": token})):
        assert response.status_code == expected
    assert db_session.scalar(select(ExportRecord.id).execution_options(all_tenants=True)
                             .where(ExportRecord.id > export_id)) is None


def test_invalid_form_or_foreign_company_is_refused(db_session, admin, make, client, csrf, login):
    foreign_id = make.company(make.tenant()).id
    db_session.commit()
    login(admin)
    assert client.post("/exports", data={"entity": "contacts", "format": "pdf",
                                         "csrf_token": csrf("/exports")}).status_code == 422
    response = client.post("/exports", data={"entity": "contacts", "format": "csv", "company_id": str(foreign_id),
                                              "csrf_token": csrf("/exports")})
    assert response.status_code == 422 and "This company does not exist." in response.get_data(as_text=True)
