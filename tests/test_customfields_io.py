"""Custom fields in imports (mapping, the same checks, rejected rows named) and in exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.test_import_support import (  # noqa: F401 - own_instance_folder is an autouse fixture
    csv_bytes,
    import_id_of,
    own_instance_folder,
    record_of,
    report_rows,
    run_file,
    upload,
)
from webapp import tenancy
from webapp.audit.models import AuditEntry
from webapp.crm.models import Contact
from webapp.customfields import services
from webapp.customfields.models import CustomFieldValue


@pytest.fixture()
def admin(make, login):
    tenant = make.tenant()
    login(make.user(tenant=tenant, role="admin"))
    return tenant


def define(tenant):
    with tenancy.scoped(tenant.id):
        services.forget_cache()
        made = [services.create_field("contact", "tier", "Tier", "choice", ["gold", "silver"]),
                services.create_field("contact", "budget", "Budget", "number"),
                services.create_field("contact", "since", "Customer since", "date"),
                services.create_field("contact", "site", "Website", "url"),
                services.create_field("contact", "note", "Note", "text")]
        services.forget_cache()
        return made


ROWS = [["Nachname", "Tier", "Budget", "Customer since", "Website", "Note"],
        ["Alpha", "Gold", "1 234,5", "2024. 03. 15.", "https://alpha.example", "=HYPERLINK(\"x\")"],
        ["Bravo", "platinum", "12abc", "31.02.2024", "ftp://bravo.example", "ok"],
        ["Charlie", "", "", "", "", ""]]
MAPPING = {"col_0": "last_name", "col_1": "cf:tier", "col_2": "cf:budget", "col_3": "cf:since", "col_4": "cf:site",
           "col_5": "cf:note"}


def _values(db_session, tenant) -> dict[str, dict]:
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        names = dict(db_session.execute(select(Contact.id, Contact.last_name)).all())
        found: dict[str, dict] = {name: {} for name in names.values()}
        fields = {f.id: f.key for f in services.fields("contact")}
        for value in db_session.scalars(select(CustomFieldValue)):
            found[names[value.contact_id]][fields[value.field_id]] = value.value
        return found


def test_mapping_offers_and_suggests_custom_fields(client, csrf, admin):
    define(admin)
    import_id = import_id_of(upload(client, csrf("/imports/new"), csv_bytes(ROWS)))
    page = client.get(f"/imports/{import_id}/mapping").get_data(as_text=True)
    select_1 = page.split('name="col_1"', 1)[1].split("</select>", 1)[0]
    assert 'value="cf:tier"' in select_1 and ('selected value="cf:tier"' in select_1
                                               or 'value="cf:tier" selected' in select_1)


def test_import_valid_rows_with_custom_values_and_report_the_others(client, csrf, run_jobs, db_session, admin):
    define(admin)
    import_id = run_file(client, csrf, run_jobs, csv_bytes(ROWS), mapping=MAPPING, mode="valid_rows")
    record = record_of(db_session, admin, import_id)
    assert (record.status, record.rows_imported, record.rows_rejected) == ("imported", 2, 1)
    assert _values(db_session, admin) == {
        "Alpha": {"tier": "gold", "budget": Decimal("1234.5"), "since": date(2024, 3, 15),
                  "site": "https://alpha.example", "note": '=HYPERLINK("x")'},
        "Charlie": {}}
    report = report_rows(client, import_id)
    text = "\n".join(",".join(row) for row in report)
    for column, reason in (("Tier", "Please choose one of the offered values."),
                           ("Budget", "Please enter a number"), ("Customer since", "valid date"),
                           ("Website", "http:// or https://")):
        assert any(column in row and any(reason in cell for cell in row) for row in report), (column, text)
    with tenancy.scoped(admin.id):
        alpha = db_session.scalar(select(Contact.id).where(Contact.last_name == "Alpha"))
        history = db_session.scalars(select(AuditEntry.changes).where(
            AuditEntry.record_type == "contact", AuditEntry.record_id == alpha, AuditEntry.action == "update")).all()
        assert history == [{"Budget": [None, "1234.5"], "Customer since": [None, "2024-03-15"],
                            "Note": [None, '=HYPERLINK("x")'], "Tier": [None, "gold"],
                            "Website": [None, "https://alpha.example"]}]


def test_all_or_nothing_import_with_a_bad_custom_value_writes_nothing(client, csrf, run_jobs, db_session, admin):
    define(admin)
    import_id = run_file(client, csrf, run_jobs, csv_bytes(ROWS), mapping=MAPPING)
    assert record_of(db_session, admin, import_id).status == "rejected"
    assert _values(db_session, admin) == {}


# -- exports ---------------------------------------------------------------------------------

@pytest.fixture()
def export_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "INSTANCE_PATH", str(tmp_path))
    return tmp_path / "exports"


def _export(client, csrf, run_jobs, fmt: str) -> bytes:
    import html
    import re

    response = client.post("/exports", data={"entity": "contacts", "format": fmt, "csrf_token": csrf("/exports")})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    export_id = int(response.headers["Location"].rsplit("/", 1)[1])
    run_jobs()
    page = client.get(f"/exports/{export_id}").get_data(as_text=True)
    link = html.unescape(re.search(r'href="(/exports/\d+/download\?token=[^"]+)"', page).group(1))
    download = client.get(link)
    data = download.data
    download.close()
    return data


def _fill(make, admin):
    tier, budget, since, site, note = define(admin)
    alpha = make.contact(admin, last_name="Alpha")
    make.contact(admin, last_name="Bravo")
    with tenancy.scoped(admin.id):
        services.save_values("contact", alpha.id, {tier.id: "gold", budget.id: Decimal("100"),
                                                   since.id: date(2024, 3, 15), note.id: "=1+2",
                                                   site.id: "https://a.example"})


def test_csv_export_has_custom_columns_neutralised(client, csrf, make, run_jobs, admin, export_dir):
    _fill(make, admin)
    rows = list(csv.reader(io.StringIO(_export(client, csrf, run_jobs, "csv").decode("utf-8-sig"))))
    header = rows[0]
    assert header[-5:] == ["cf_tier", "cf_budget", "cf_since", "cf_site", "cf_note"]
    by_name = {row[header.index("last_name")]: row for row in rows[1:]}
    assert by_name["Alpha"][-5:] == ["gold", "100", "2024-03-15", "https://a.example", "'=1+2"]
    assert by_name["Bravo"][-5:] == ["", "", "", "", ""]


def test_xlsx_and_xml_exports_have_custom_columns(client, csrf, make, run_jobs, admin, export_dir):
    _fill(make, admin)
    sheet = load_workbook(io.BytesIO(_export(client, csrf, run_jobs, "xlsx")), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    alpha = next(row for row in rows[1:] if row[header.index("last_name")] == "Alpha")
    assert alpha[header.index("cf_budget")] == 100 and alpha[header.index("cf_note")] == "'=1+2"
    assert alpha[header.index("cf_since")].date() == date(2024, 3, 15)
    xml = _export(client, csrf, run_jobs, "xml").decode()
    assert "<cf_tier>gold</cf_tier>" in xml and "<cf_since>2024-03-15</cf_since>" in xml


def test_company_export_has_company_custom_columns(client, csrf, make, run_jobs, admin, export_dir):
    with tenancy.scoped(admin.id):
        field = services.create_field("company", "branch", "Branch", "text")
    company = make.company(admin, name="Tisza Kft.")
    with tenancy.scoped(admin.id):
        services.save_values("company", company.id, {field.id: "+IT"})
    response = client.post("/exports", data={"entity": "companies", "format": "csv", "csrf_token": csrf("/exports")})
    export_id = int(response.headers["Location"].rsplit("/", 1)[1])
    run_jobs()
    import html
    import re

    page = client.get(f"/exports/{export_id}").get_data(as_text=True)
    download = client.get(html.unescape(re.search(r'href="(/exports/\d+/download\?token=[^"]+)"', page).group(1)))
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    download.close()
    assert rows[0][-1] == "cf_branch" and rows[1][-1] == "'+IT"


def test_required_custom_fields_must_be_mapped_and_filled(client, csrf, run_jobs, db_session, admin):
    from tests.test_import_support import start

    with tenancy.scoped(admin.id):
        services.create_field("contact", "source", "Source", "text", required=True)
    rows = [["Nachname", "Source"], ["Alpha", "fair"], ["Bravo", ""]]
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, csv_bytes(rows)))
    refused = start(client, token, import_id, {"col_0": "last_name", "col_1": "ignore"})
    assert refused.status_code == 422
    assert "Choose a column for each required field: Source." in refused.get_data(as_text=True)
    assert start(client, token, import_id, {"col_0": "last_name", "col_1": "cf:source"},
                 mode="valid_rows").status_code == 303
    run_jobs()
    assert (record_of(db_session, admin, import_id).rows_imported, _values(db_session, admin)) == (
        1, {"Alpha": {"source": "fair"}})
    assert any("This field is required." in cell for row in report_rows(client, import_id) for cell in row)
