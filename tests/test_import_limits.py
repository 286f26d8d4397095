"""Bad input and limits: body size (413, only this route raised), files that are not tables, row limits,
a failure while writing, and 20,000 rows with progress."""

from __future__ import annotations

import io
import os
import time

import pytest
from sqlalchemy import func, select

from tests.test_import_support import (  # noqa: F401 - own_instance_folder is an autouse fixture
    HEADERS,
    contacts_of,
    csv_bytes,
    import_id_of,
    own_instance_folder,
    people,
    record_of,
    run_file,
    start,
    stored_files,
    upload,
    xlsx_bytes,
)
from webapp import tenancy
from webapp.crm.models import Company, Contact
from webapp.imports.models import ImportRecord
from webapp.jobs.models import Task


@pytest.fixture()
def tenant_user(make, login):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    return tenant


def _records(db_session, tenant) -> int:
    with tenancy.scoped(tenant.id):
        return db_session.scalar(select(func.count(ImportRecord.id)))


def _filler(size: int) -> bytes:
    rows, data = [HEADERS], b""
    while len(data) < size:
        rows += people(200, start=len(rows))
        data = csv_bytes(rows)
    return data


def test_the_upload_route_alone_accepts_more_than_the_app_limit(app, client, csrf, monkeypatch, tenant_user):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 512 * 1024)
    token = csrf("/imports/new")
    data = _filler(100 * 1024)
    assert import_id_of(upload(client, token, data))
    elsewhere = client.post("/contacts/new", data={"csrf_token": token, "last_name": "x" * len(data)})
    assert elsewhere.status_code == 413


@pytest.mark.parametrize("excess", [200 * 1024, 1000])  # the body is too large; only the file is too large
def test_an_upload_over_the_limit_gets_413_and_stores_nothing(app, client, csrf, db_session, monkeypatch,
                                                              tenant_user, excess):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 128 * 1024)
    data = _filler(128 * 1024 + excess)[: 128 * 1024 + excess]
    response = upload(client, csrf("/imports/new"), data, headers={"Accept-Language": "de"})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Zu groß" in html and "<html" in html
    assert stored_files(app, tenant_user) == [] and _records(db_session, tenant_user) == 0


def test_anyone_else_keeps_the_app_limit(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    response = client.post("/imports/new", data={"file": (io.BytesIO(b"x" * 100 * 1024), "a.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.csv", "The file is empty."),
    (os.urandom(20_000), "random.csv", "This is not a CSV or Excel (XLSX) file."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "old.xls", "old-format or password-protected Excel"),
    (b"PK\x03\x04" + os.urandom(3000), "broken.xlsx", "This is not a CSV or Excel (XLSX) file."),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "renamed.csv", "This is not a CSV or Excel (XLSX) file."),
    (b"Nachname;Vorname\r\n", "header-only.csv", "column names but no rows"),
    (b"\r\n\r\n", "blank.csv", "The first row must hold the column names."),
])
def test_files_that_are_not_tables_get_a_clear_message(app, client, csrf, db_session, tenant_user, data, name,
                                                       message):
    response = upload(client, csrf("/imports/new"), data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_files(app, tenant_user) == [] and _records(db_session, tenant_user) == 0


def test_the_form_states_the_limit_even_when_the_setting_is_unset(app, client, monkeypatch, tenant_user):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", None)  # config.py passes unset settings as None
    assert "At most 50 MB." in client.get("/imports/new").get_data(as_text=True)


def test_no_file_chosen(client, csrf, tenant_user):
    response = client.post("/imports/new", data={"csrf_token": csrf("/imports/new"), "encoding": ""},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Please choose a file." in response.get_data(as_text=True)


def test_a_docx_renamed_to_xlsx_is_refused_and_an_xlsx_renamed_to_csv_is_read(client, csrf, db_session,
                                                                              tenant_user):
    docx = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    token = csrf("/imports/new")
    refused = upload(client, token, docx.getvalue(), "letter.xlsx")
    assert refused.status_code == 422 and "not a CSV or Excel" in refused.get_data(as_text=True)
    import_id = import_id_of(upload(client, token, xlsx_bytes([HEADERS, *people(1)]), "really-excel.csv"))
    assert record_of(db_session, tenant_user, import_id).file_format == "xlsx"


def test_a_chosen_encoding_that_does_not_fit_is_said(client, csrf, tenant_user):
    data = csv_bytes([["Név"], ["Őri"]], encoding="cp1250")
    response = upload(client, csrf("/imports/new"), data, encoding="utf-8")
    assert response.status_code == 422 and "not valid UTF-8 text" in response.get_data(as_text=True)
    assert upload(client, csrf("/imports/new"), data, encoding="cp1250").status_code == 303


def test_too_many_rows_fail_the_file_and_write_nothing(app, client, csrf, run_jobs, db_session, monkeypatch,
                                                      tenant_user):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 5)
    import_id = run_file(client, csrf, run_jobs, csv_bytes([HEADERS, *people(6)]), mode="valid_rows")
    record = record_of(db_session, tenant_user, import_id)
    assert (record.status, record.error_code, record.rows_imported) == ("failed", "too_many_rows", 0)
    assert contacts_of(db_session, tenant_user) == []
    assert "more than 5 rows" in client.get(f"/imports/{import_id}").get_data(as_text=True)


def test_a_failure_while_writing_leaves_nothing_behind(app, client, csrf, run_jobs, db_session, monkeypatch,
                                                      tenant_user, caplog):
    from webapp.imports import writing

    monkeypatch.setitem(app.config, "IMPORT_BATCH_SIZE", 2)
    real_insert, calls = writing._insert, []

    def failing_insert(batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError(f"database went away while writing {batch[0]['email']}")
        return real_insert(batch)

    monkeypatch.setattr(writing, "_insert", failing_insert)
    import_id = run_file(client, csrf, run_jobs, csv_bytes([HEADERS, *people(5)]), mode="valid_rows")
    record = record_of(db_session, tenant_user, import_id)
    assert (record.status, record.error_code, record.rows_imported) == ("failed", "internal", 0)
    task_id = record.task_id
    assert calls == [2, 2] and contacts_of(db_session, tenant_user) == []
    with tenancy.scoped(tenant_user.id):
        assert db_session.scalar(select(func.count(Company.id))) == 0  # created companies rolled back too
    assert db_session.get(Task, task_id).state == "failed"
    assert "RuntimeError at test_import_limits.py" in caplog.text and "@example.com" not in caplog.text
    assert "error on our side" in client.get(f"/imports/{import_id}").get_data(as_text=True)


def test_existing_emails_are_refused_only_when_configured(app, client, csrf, run_jobs, db_session, make,
                                                         monkeypatch, tenant_user):
    make.contact(tenant_user, email="anna0@example.com")
    run_file(client, csrf, run_jobs, csv_bytes([HEADERS, *people(1)]))
    assert len(contacts_of(db_session, tenant_user)) == 2  # off by default
    monkeypatch.setitem(app.config, "IMPORT_UNIQUE_EMAIL", True)
    import_id = run_file(client, csrf, run_jobs, csv_bytes([HEADERS, *people(2)]), mode="valid_rows")
    record = record_of(db_session, tenant_user, import_id)
    assert (record.rows_imported, record.rows_rejected) == (1, 1)
    assert "already exists" in client.get(f"/imports/{import_id}").get_data(as_text=True)


def test_twenty_thousand_rows_with_progress(app, client, csrf, run_jobs, db_session, monkeypatch, tenant_user,
                                            record_property):
    import workers.imports

    reports = []
    monkeypatch.setattr(workers.imports, "report_progress", lambda percent, message: reports.append((percent, message)))
    rows = people(20_000)
    for index in range(0, 20_000, 800):
        rows[index][2] = f"broken-{index}"  # 25 invalid e-mail addresses
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, csv_bytes([HEADERS, *rows])))
    start(client, token, import_id, mode="valid_rows")
    began = time.perf_counter()
    assert run_jobs() == 1
    elapsed = time.perf_counter() - began
    record = record_of(db_session, tenant_user, import_id)
    assert (record.status, record.rows_read, record.rows_imported, record.rows_rejected) == \
        ("imported", 20_000, 19_975, 25)
    with tenancy.scoped(tenant_user.id):
        assert db_session.scalar(select(func.count(Contact.id))) == 19_975
        assert db_session.scalar(select(func.count(Company.id))) == 7
    percents = [percent for percent, _message in reports]
    assert len(reports) >= 40 and percents == sorted(percents) and reports[-1] == (100, "done:19975")
    assert "check:20000" in [message for _percent, message in reports]
    assert any(0 < p < 50 for p in percents) and any(50 < p < 100 for p in percents)  # both passes report
    page = client.get(f"/imports/{import_id}").get_data(as_text=True)
    assert "Only the first 20 problems are shown" in page and "broken-15200" in page and "broken-16000" not in page
    record_property("import_rows_per_second", round(20_000 / elapsed))
    record_property("database", app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0])
