"""Helpers for the import tests (no tests here): build CSV and XLSX files, upload, map, read back."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from webapp import tenancy
from webapp.crm.models import Company, Contact
from webapp.imports.models import ImportRecord

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def own_instance_folder(app, tmp_path, monkeypatch, redis_conn):
    """Uploaded files go to this test's folder (rolled-back tests reuse tenant ids, files stay), and
    the queues start empty (a test elsewhere may have queued jobs without running them)."""
    monkeypatch.setitem(app.config, "INSTANCE_PATH", str(tmp_path / "instance"))
    redis_conn.flushdb()
HEADERS = ["Vorname", "Nachname", "E-Mail", "Telefon", "Firma"]
SUGGESTED = {"col_0": "first_name", "col_1": "last_name", "col_2": "email", "col_3": "phone", "col_4": "company"}


def csv_bytes(rows: list[list], delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def people(count: int, start: int = 0) -> list[list[str]]:
    return [[f"Anna{i}", f"Kovács{i}", f"anna{i}@example.com", f"+36 20 {i % 1000:03d} {i % 10000:04d}",
             f"Firma {i % 7}"] for i in range(start, start + count)]


def upload(client, token: str, data: bytes, name: str = "contacts.csv", encoding: str = "", **kwargs):
    """POST a file like a browser. The body is encoded in memory: Werkzeug's test client would put
    bodies over 500 KB in a temporary file that it never closes."""
    boundary, body = encode_multipart(MultiDict({"csrf_token": token, "encoding": encoding,
                                                 "file": FileStorage(io.BytesIO(data), name)}))
    return client.post("/imports/new", data=body, content_type=f"multipart/form-data; boundary={boundary}",
                       **kwargs)


def import_id_of(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    match = re.fullmatch(r"/imports/(\d+)/mapping", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def start(client, token: str, import_id: int, mapping: dict | None = None, mode: str = "all_or_nothing"):
    data = {"csrf_token": token, "mode": mode, **(SUGGESTED if mapping is None else mapping)}
    return client.post(f"/imports/{import_id}/mapping", data=data)


def run_file(client, csrf, run_jobs, data: bytes, name: str = "contacts.csv", mapping: dict | None = None,
             mode: str = "all_or_nothing", encoding: str = "") -> int:
    """Upload, map, start and run one import; returns its id."""
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, data, name, encoding))
    response = start(client, token, import_id, mapping, mode)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"] == f"/imports/{import_id}"
    assert run_jobs() == 1
    return import_id


def record_of(db_session, tenant, import_id: int) -> ImportRecord:
    db_session.expire_all()
    with tenancy.scoped(tenant.id):
        return db_session.get(ImportRecord, import_id)


def contacts_of(db_session, tenant) -> list[tuple]:
    db_session.expire_all()
    with tenancy.scoped(tenant.id):
        rows = db_session.execute(select(Contact.first_name, Contact.last_name, Contact.email, Contact.phone,
                                         Company.name).outerjoin(Company, Contact.company_id == Company.id)
                                  .order_by(Contact.id))
        return [tuple(row) for row in rows]


def report_rows(client, import_id: int, delimiter: str = ",") -> list[list[str]]:
    response = client.get(f"/imports/{import_id}/report.csv")
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    response.close()  # as a WSGI server does: closes the spooled file behind the download
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def stored_files(app, tenant) -> list[Path]:
    folder = Path(app.config["INSTANCE_PATH"]) / "imports" / str(tenant.id)
    return sorted(folder.iterdir()) if folder.exists() else []
