"""Import screens and job end to end: upload, mapping, a real RQ worker, counts, the rejection report."""

from __future__ import annotations

import re

import pytest

from tests.test_import_support import (  # noqa: F401 - own_instance_folder is an autouse fixture
    HEADERS,
    HX,
    contacts_of,
    csv_bytes,
    import_id_of,
    own_instance_folder,
    people,
    record_of,
    report_rows,
    run_file,
    start,
    upload,
    xlsx_bytes,
)


@pytest.fixture()
def tenant_user(make, login):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    return tenant


def test_csv_with_commas_and_utf8_bom(client, csrf, run_jobs, db_session, tenant_user):
    data = csv_bytes([HEADERS, *people(3)], bom=True)
    import_id = run_file(client, csrf, run_jobs, data)
    record = record_of(db_session, tenant_user, import_id)
    assert (record.status, record.rows_read, record.rows_imported, record.rows_rejected) == ("imported", 3, 3, 0)
    assert (record.encoding, record.delimiter, record.encoding_guessed) == ("utf-8-sig", ",", False)
    assert contacts_of(db_session, tenant_user)[0] == ("Anna0", "Kovács0", "anna0@example.com", "+36200000000",
                                                       "Firma 0")
    page = client.get(f"/imports/{import_id}").get_data(as_text=True)
    assert 'id="rows-imported">3<' in page and "report.csv" not in page


def test_semicolons_in_windows_1250_keep_hungarian_accents(client, csrf, run_jobs, db_session, tenant_user):
    rows = [["Vezetéknév", "Keresztnév", "E-mail cím", "Telefonszám", "Cégnév"],
            ["Őrsi", "Ű Tünde", "tunde@example.hu", "06 30 123 4567", "Árvíztűrő Kft."]]
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, csv_bytes(rows, delimiter=";", encoding="cp1250")))
    mapping_page = client.get(f"/imports/{import_id}/mapping").get_data(as_text=True)
    assert "Windows-1250" in mapping_page and "Őrsi" in mapping_page  # the guess is said and shown
    mapping = {"col_0": "last_name", "col_1": "first_name", "col_2": "email", "col_3": "phone", "col_4": "company"}
    assert start(client, token, import_id, mapping).status_code == 303
    run_jobs()
    assert contacts_of(db_session, tenant_user) == [("Ű Tünde", "Őrsi", "tunde@example.hu", "+36301234567",
                                                     "Árvíztűrő Kft.")]
    record = record_of(db_session, tenant_user, import_id)
    assert (record.encoding, record.encoding_guessed, record.delimiter) == ("cp1250", True, ";")
    assert "Windows-1250" in client.get(f"/imports/{import_id}").get_data(as_text=True)


def test_xlsx_import(client, csrf, run_jobs, db_session, tenant_user):
    data = xlsx_bytes([HEADERS, ["Éva", "Nagy", "eva@example.com", 36201112233, "Tisza Kft."],
                       [None, "Kiss", None, None, None]])
    import_id = run_file(client, csrf, run_jobs, data, name="kontakte.xlsx")
    assert record_of(db_session, tenant_user, import_id).rows_imported == 2
    assert contacts_of(db_session, tenant_user) == [("Éva", "Nagy", "eva@example.com", "+36201112233", "Tisza Kft."),
                                                    ("", "Kiss", None, None, None)]


def test_mapping_page_suggests_fields_from_headers(client, csrf, tenant_user):
    rows = [["Nachname", "Notiz", "Vorname", "Handy"], ["Nagy", "x", "Éva", "+36201234567"]]
    import_id = import_id_of(upload(client, csrf("/imports/new"), csv_bytes(rows)))
    page = client.get(f"/imports/{import_id}/mapping").get_data(as_text=True)
    for column, field in ((0, "last_name"), (1, "ignore"), (2, "first_name"), (3, "phone")):
        select = page.split(f'name="col_{column}"', 1)[1].split("</select>", 1)[0]
        assert f'selected value="{field}"' in select or f'value="{field}" selected' in select, (column, select)
    assert re.search(r'<input checked[^>]* value="all_or_nothing"', page)


def test_mapping_without_last_name_is_refused(client, csrf, tenant_user):
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, csv_bytes([HEADERS, *people(1)])))
    response = start(client, token, import_id, {"col_0": "first_name", "col_1": "ignore", "col_2": "email",
                                                "col_3": "email", "col_4": "ignore"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "holds the last name" in html and "one column only" in html


def test_all_or_nothing_writes_nothing_and_reports_the_row(client, csrf, run_jobs, db_session, tenant_user):
    rows = [HEADERS, *people(2), ["Bad", "Row", "not-an-address", "", ""], *people(2, start=2)]
    import_id = run_file(client, csrf, run_jobs, csv_bytes(rows))
    record = record_of(db_session, tenant_user, import_id)
    assert (record.status, record.rows_read, record.rows_imported, record.rows_rejected) == ("rejected", 5, 0, 1)
    assert contacts_of(db_session, tenant_user) == []
    report = report_rows(client, import_id)
    assert report == [["Row", "Column", "Value", "Reason"], ["4", "E-Mail", "not-an-address",
                                                             "Not a valid e-mail address."]]
    page = client.get(f"/imports/{import_id}").get_data(as_text=True)
    assert "Nothing was imported" in page and "not-an-address" in page


def test_valid_rows_mode_writes_the_rest(client, csrf, run_jobs, db_session, tenant_user):
    rows = [HEADERS, *people(2), ["", "", "x@example.com", "", ""], ["Ok", "Name", "", "12", ""]]
    import_id = run_file(client, csrf, run_jobs, csv_bytes(rows), mode="valid_rows")
    record = record_of(db_session, tenant_user, import_id)
    assert (record.status, record.rows_read, record.rows_imported, record.rows_rejected) == ("imported", 4, 2, 2)
    assert [c[1] for c in contacts_of(db_session, tenant_user)] == ["Kovács0", "Kovács1"]
    assert report_rows(client, import_id)[1:] == [["4", "Nachname", "", "A last name is required."],
                                                  ["5", "Telefon", "12", "Not a valid phone number (for example "
                                                                         "+36 20 123 4567)."]]


def test_a_rejected_import_can_be_started_again_for_the_valid_rows(client, csrf, run_jobs, db_session, tenant_user):
    rows = [HEADERS, *people(2), ["", "", "", "", ""], ["Only", "", "", "", ""]]
    import_id = run_file(client, csrf, run_jobs, csv_bytes(rows))
    assert record_of(db_session, tenant_user, import_id).status == "rejected"
    assert start(client, csrf("/imports/new"), import_id, mode="valid_rows").status_code == 303
    assert run_jobs() == 1
    record = record_of(db_session, tenant_user, import_id)
    assert (record.status, record.attempt, record.rows_imported, record.rows_rejected) == ("imported", 2, 2, 1)
    assert start(client, csrf("/imports/new"), import_id).status_code == 303  # finished: not started again
    assert run_jobs() == 0


def test_ragged_rows_are_rejected_with_a_reason(client, csrf, run_jobs, db_session, tenant_user):
    data = (b"Vorname,Nachname,E-Mail,Telefon,Firma\r\nAnna,Kiss,a@example.com,,\r\nToo,Few\r\n"
            b"Too,Many,b@example.com,,,surplus\r\nTrailing,Empties,c@example.com,,,,\r\n")
    import_id = run_file(client, csrf, run_jobs, data, mode="valid_rows")
    assert [c[1] for c in contacts_of(db_session, tenant_user)] == ["Kiss", "Empties"]
    assert report_rows(client, import_id)[1:] == [
        ["3", "", "", "This row has 2 cells, the header row has 5."],
        ["4", "", "", "This row has 6 cells, the header row has 5."]]


def test_duplicate_emails_in_the_file_reject_the_later_rows(client, csrf, run_jobs, db_session, tenant_user):
    rows = [HEADERS, ["A", "First", "dup@example.com", "", ""], ["B", "Broken", "DUP@example.com", "x", ""],
            ["C", "Second", "Dup@Example.com", "", ""]]
    import_id = run_file(client, csrf, run_jobs, csv_bytes(rows), mode="valid_rows")
    assert [c[1] for c in contacts_of(db_session, tenant_user)] == ["First"]
    reasons = [(row[0], row[3]) for row in report_rows(client, import_id)[1:]]
    assert reasons == [("3", "Not a valid phone number (for example +36 20 123 4567)."),
                       ("4", "The same e-mail address is already in row 2.")]


def test_formulas_and_markup_in_names_are_kept_as_text_and_neutralised_in_the_report(
        client, csrf, run_jobs, db_session, tenant_user):
    rows = [HEADERS, ['=HYPERLINK("http://evil.example","x")', "<script>alert(1)</script>", "", "", "@SUM(A1)"],
            ["-1+1", "=cmd|' /C calc'!A0", "+36 1 bad", "=1+2", ""]]
    import_id = run_file(client, csrf, run_jobs, csv_bytes(rows), mode="valid_rows")
    assert contacts_of(db_session, tenant_user) == [
        ('=HYPERLINK("http://evil.example","x")', "<script>alert(1)</script>", None, None, "@SUM(A1)")]
    listing = client.get("/contacts").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    report = report_rows(client, import_id)[1:]
    assert [row[2] for row in report] == ["'+36 1 bad", "'=1+2"]
    page = client.get(f"/imports/{import_id}").get_data(as_text=True)
    assert "<script>alert" not in page


def test_companies_are_matched_by_name_or_created(client, csrf, run_jobs, db_session, make, tenant_user):
    existing = make.company(tenant_user, name="Tisza Kft.")
    make.company(make.tenant(), name="Duna Zrt.")  # another tenant's company is never matched
    rows = [HEADERS, ["A", "One", "", "", "tisza  KFT."], ["B", "Two", "", "", "Duna Zrt."],
            ["C", "Three", "", "", "DUNA zrt."]]
    run_file(client, csrf, run_jobs, csv_bytes(rows))
    contacts = contacts_of(db_session, tenant_user)
    assert [c[4] for c in contacts] == ["Tisza Kft.", "Duna Zrt.", "Duna Zrt."]
    from sqlalchemy import func, select

    from webapp import tenancy
    from webapp.crm.models import Company, Contact

    with tenancy.scoped(tenant_user.id):
        assert db_session.scalar(select(func.count(Company.id))) == 2
        first = db_session.scalar(select(Contact).order_by(Contact.id))
        assert first.company_id == existing.id


def test_progress_page_with_and_without_htmx(client, csrf, run_jobs, tenant_user):
    token = csrf("/imports/new")
    import_id = import_id_of(upload(client, token, csv_bytes([HEADERS, *people(2)])))
    start(client, token, import_id)
    page = client.get(f"/imports/{import_id}")
    html = page.get_data(as_text=True)
    assert "<html" in html and 'http-equiv="refresh"' in html and "HX-Request" in page.headers["Vary"]
    fragment = client.get(f"/imports/{import_id}", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith(f'<div id="import-{import_id}"')
    assert 'hx-trigger="load delay:1s"' in fragment and 'hx-swap="outerHTML"' in fragment
    assert f'hx-get="/imports/{import_id}"' in fragment and "Waiting to start" in fragment
    run_jobs()
    done = client.get(f"/imports/{import_id}", headers=HX).get_data(as_text=True)
    assert "hx-get" not in done and 'id="rows-imported">2<' in done
    assert 'http-equiv="refresh"' not in client.get(f"/imports/{import_id}").get_data(as_text=True)


def test_imports_are_listed_for_the_tenant(client, csrf, run_jobs, tenant_user):
    run_file(client, csrf, run_jobs, csv_bytes([HEADERS, *people(1)]), name="<img src=x onerror=alert(1)>.csv")
    html = client.get("/imports").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in html and "<img src=x" not in html and "Imported" in html
