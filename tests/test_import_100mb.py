"""Bad input at size: a 100 MB import file, streamed from disk like a browser's upload.

Under the default limit (50 MB) it is refused at once with the localized 413 page and nothing
is kept. With the limit raised above it, the upload is stored in chunks (memory stays small); a
file that breaks the row limit fails as a whole in the job with nothing written, and a file with
one gigantic cell is refused at upload with a clear message. Memory is Python's allocation peak
(tracemalloc) during each step.
"""

from __future__ import annotations

import csv
import tracemalloc
import uuid

import pytest
from sqlalchemy import func, select

from tests.test_import_support import (  # noqa: F401 - own_instance_folder is an autouse fixture
    HEADERS,
    contacts_of,
    import_id_of,
    own_instance_folder,
    record_of,
    start,
    stored_files,
)
from webapp import tenancy
from webapp.imports.models import ImportRecord

pytestmark = pytest.mark.slow

SIZE = 100 * 1024 * 1024
MEMORY_MB = 40  # allocation peak allowed while a 100 MB file goes through


@pytest.fixture()
def tenant_user(make, login):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    return tenant


@pytest.fixture(scope="module")
def rows_file(tmp_path_factory):
    """100 MB of ordinary contact rows."""
    path = tmp_path_factory.mktemp("big") / "contacts.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(HEADERS)
        number = 0
        while handle.tell() < SIZE:
            for _ in range(10_000):
                number += 1
                out.writerow([f"Anna{number}", "Kovács", f"anna.kovacs{number}@example.com", "+36 30 123 4567",
                              "Duna Kft."])
    return path


@pytest.fixture(scope="module")
def one_cell_file(tmp_path_factory):
    """A header, then one row whose last name is a single 100 MB cell."""
    path = tmp_path_factory.mktemp("cell") / "contacts.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(";".join(HEADERS) + "\r\nAnna;")
        chunk = "x" * (1024 * 1024)
        for _ in range(100):
            handle.write(chunk)
        handle.write(";anna@example.com;;\r\n")
    return path


def _multipart(tmp_path, token: str, path) -> tuple[object, int, str]:
    """The request body on disk: never the whole file in memory."""
    boundary = uuid.uuid4().hex
    body = tmp_path / "body.bin"
    with open(body, "wb") as out, open(path, "rb") as source:
        out.write((f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                   f"--{boundary}\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\n\r\n"
                   f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                   "Content-Type: text/csv\r\n\r\n").encode())
        while chunk := source.read(1 << 20):
            out.write(chunk)
        out.write(f"\r\n--{boundary}--\r\n".encode())
    return body, body.stat().st_size, f"multipart/form-data; boundary={boundary}"


def _upload(client, tmp_path, token: str, path, **headers):
    body, length, content_type = _multipart(tmp_path, token, path)
    with open(body, "rb") as stream:
        return client.post("/imports/new", input_stream=stream, content_length=length, content_type=content_type,
                           headers=headers)


def _peak_mb(func):
    tracemalloc.start()
    try:
        result = func()
        return result, tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


def _records(db_session, tenant) -> int:
    with tenancy.scoped(tenant.id):
        return db_session.scalar(select(func.count(ImportRecord.id)))


def test_a_100_mb_file_over_the_default_limit_is_refused_and_nothing_kept(app, client, csrf, db_session,
                                                                         tenant_user, rows_file, tmp_path):
    assert rows_file.stat().st_size >= SIZE
    token = csrf("/imports/new")
    response, peak = _peak_mb(lambda: _upload(client, tmp_path, token, rows_file, **{"Accept-Language": "de"}))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Zu groß" in html and "<html" in html
    assert stored_files(app, tenant_user) == [] and _records(db_session, tenant_user) == 0
    assert peak < MEMORY_MB, f"{peak:.1f} MB allocated while refusing a 100 MB upload"


def test_a_100_mb_file_under_a_raised_limit_streams_then_fails_whole_on_the_row_limit(
        app, client, csrf, db_session, monkeypatch, run_jobs, tenant_user, rows_file, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", SIZE + 1024 * 1024)
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 5000)
    token = csrf("/imports/new")
    response, peak = _peak_mb(lambda: _upload(client, tmp_path, token, rows_file))
    import_id = import_id_of(response)
    assert peak < MEMORY_MB, f"{peak:.1f} MB allocated while storing a 100 MB upload"
    assert start(client, token, import_id, mode="valid_rows").status_code == 303
    ran, peak = _peak_mb(run_jobs)
    assert ran == 1 and peak < MEMORY_MB, f"{peak:.1f} MB allocated by the import job"
    record = record_of(db_session, tenant_user, import_id)
    assert (record.status, record.error_code, record.rows_imported) == ("failed", "too_many_rows", 0)
    assert contacts_of(db_session, tenant_user) == []
    assert "more than 5000 rows" in client.get(f"/imports/{import_id}").get_data(as_text=True).replace(",", "")
    names = {path.name for path in stored_files(app, tenant_user)}
    assert not any(name.endswith((".staged", ".report")) for name in names)  # only the upload itself is kept


def test_a_100_mb_cell_is_refused_at_upload_with_a_clear_message_and_bounded_memory(
        app, client, csrf, db_session, monkeypatch, tenant_user, one_cell_file, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", SIZE + 1024 * 1024)
    token = csrf("/imports/new")
    response, peak = _peak_mb(lambda: _upload(client, tmp_path, token, one_cell_file))
    assert response.status_code == 422
    assert "malformed near row 2" in response.get_data(as_text=True)
    assert "a cell that is far too long" in response.get_data(as_text=True)
    assert _records(db_session, tenant_user) == 0 and stored_files(app, tenant_user) == []
    assert peak < MEMORY_MB, f"{peak:.1f} MB allocated while refusing a 100 MB cell"
