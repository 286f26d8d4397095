"""Access reports and portability files: built by jobs, readable by standard tools, fetched once by an
expiring link that only the proven address can use."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import csrf_from
from webapp import clock
from webapp.dsr.models import DataRequest
from webapp.leads.models import Lead
from webapp.newsletter import services as newsletter
from webapp.profiles import services as profiles
from webapp.reports import services
from webapp.reports.models import SubjectReport
from webapp.transfers import services as transfers
from webapp.trials import services as trials
from webapp.workshops import services as workshops

HTMX = {"HX-Request": "true"}
XSD = Path(__file__).resolve().parents[1] / "webapp" / "reports" / "portability.xsd"
PNS = "{urn:bizalom:portability:1}"


def _person(app, db_session, email, name="Gábor Nagy", phone="+36201234567", topic="=HYPERLINK(\"x\") pipelines"):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        workshops.register(name, email, phone, topic, form="site:workshop")
        newsletter.request_subscription(name, email, form="site:newsletter")
        statements = {"adult_and_authorised": True, "no_id_numbers": True, "marketing_contact": False}
        trials.sign_up(name, email, phone, "Nagy Kft", statements, form="site:trial")
        lead = db_session.scalars(select(Lead).where(Lead.email == email)).one()
        profiles.update(lead, {"problem": "Too many spreadsheets", "position": "Owner"}, None)
        transfers.record(transfers.Disclosure(recipient="Opennetworks Kft.", recipient_kind="processor",
                                              legal_basis="contract", purpose="sms", data_description="phone, text",
                                              subject_phone=phone, reference="sms:9"))
    db_session.commit()


def _portal(client, email):
    with client.session_transaction() as session:
        session["mydata"] = {"email": email, "until": (clock.now() + timedelta(minutes=30)).isoformat()}


def _ask_report(client, what):
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    response = client.post("/my-data/reports", data={"what": what, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return int(re.search(r"/my-data/reports/(\d+)$", response.headers["Location"]).group(1))


def _link(client, report_id, prefix="/my-data/reports"):
    page = client.get(f"{prefix}/{report_id}").get_data(as_text=True)
    match = re.search(rf'href="({prefix}/{report_id}/download\?token=[^"]+)"', page)
    assert match, page[:1500]
    return match.group(1).replace("&amp;", "&")


def _built(client, run_jobs, what, email):
    _portal(client, email)
    report_id = _ask_report(client, what)
    assert run_jobs() >= 1
    return report_id, _link(client, report_id)


class Fetched:
    """A download read and closed at once (send_file keeps the file open until the response closes)."""

    def __init__(self, client, path):
        response = client.get(path)
        self.status_code, self.mimetype, self.data = response.status_code, response.mimetype, response.data
        response.close()

    def get_data(self, as_text=False):
        return self.data.decode("utf-8") if as_text else self.data


def _sections_from_csv(data: bytes) -> dict:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["section", "record", "field", "value"]
    found: dict = {}
    for section, record, name, value in rows[1:]:
        found.setdefault(section, {}).setdefault(int(record), {})[name] = value
    return found


def test_portability_csv_holds_what_the_person_gave(app, client, db_session, run_jobs):
    _person(app, db_session, "csv@example.com")
    report_id, link = _built(client, run_jobs, "portability:csv", "csv@example.com")
    response = Fetched(client, link)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    sections = _sections_from_csv(response.data)
    assert sections["contact"][1] == {"name": "Gábor Nagy", "email": "csv@example.com", "phone": "+36201234567",
                                      "first_contact_through": "workshop"}
    assert sections["workshop"][1]["topic"] == "'=HYPERLINK(\"x\") pipelines"  # neutralised, not run
    assert {row["form"] for row in sections["newsletter"].values()} >= {"site:newsletter", "site:trial"}
    assert {row["statement"]: row["given"] for row in sections["trial"].values()} == {
        "adult_and_authorised": "true", "no_id_numbers": "true", "marketing_contact": "false"}
    assert sections["profile"][1]["problem"] == "Too many spreadsheets"
    assert [row["kind"] for row in sections["requests"].values()] == ["portability"]
    assert "Opennetworks" not in response.data.decode("utf-8-sig")  # not provided by the person
    report = db_session.get(SubjectReport, report_id)
    assert report.downloaded_at is not None and len(report.sha256) == 64


def test_portability_xlsx_opens_in_openpyxl_one_sheet_per_section(app, client, db_session, run_jobs):
    _person(app, db_session, "xlsx@example.com")
    _report_id, link = _built(client, run_jobs, "portability:xlsx", "xlsx@example.com")
    response = Fetched(client, link)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["contact", "account", "newsletter", "workshop", "trial", "profile", "requests"]
    contact = list(book["contact"].values)
    assert contact == [("name", "email", "phone", "first_contact_through"),
                       ("Gábor Nagy", "xlsx@example.com", "+36201234567", "workshop")]
    workshop = list(book["workshop"].values)
    assert workshop[1][1] == "=HYPERLINK(\"x\") pipelines"  # a text cell, exactly as given
    book.close()
    cells = load_workbook(io.BytesIO(response.data))["workshop"]
    assert cells["B2"].data_type == "s" and cells["B2"].quotePrefix


def test_portability_xml_is_valid_against_the_schema(app, client, db_session, run_jobs):
    _person(app, db_session, "xml@example.com")
    _report_id, link = _built(client, run_jobs, "portability:xml", "xml@example.com")
    response = Fetched(client, link)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(response.data)
    schema.assertValid(document)
    contact = {field.get("name"): field.text for field in document.iterfind(
        f"{PNS}section[@name='contact']/{PNS}record/{PNS}field")}
    assert contact == {"name": "Gábor Nagy", "email": "xml@example.com", "phone": "+36201234567",
                       "first_contact_through": "workshop"}
    topic = document.find(f"{PNS}section[@name='workshop']/{PNS}record/{PNS}field[@name='topic']")
    assert topic.text == "=HYPERLINK(\"x\") pipelines"


def test_the_schema_rejects_a_file_that_does_not_fit():
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    bad = etree.fromstring(b'<portability xmlns="urn:bizalom:portability:1" email="a@b" '
                           b'generated-at="2026-01-01T00:00:00Z"><section name="secrets"/></portability>')
    assert not schema.validate(bad)


def _explained_items(app, email):
    from flask_babel import force_locale

    from webapp.mydata import services as mydata

    with app.test_request_context(headers={"Accept-Language": "en"}), force_locale("en"):  # the test client's language
        return mydata.report(email)


def test_access_report_html_shows_every_item_with_its_explanation(app, client, db_session, run_jobs):
    _person(app, db_session, "html@example.com")
    report_id, link = _built(client, run_jobs, "access:html", "html@example.com")
    html = Fetched(client, link).get_data(as_text=True)
    assert html.startswith("<!doctype html>") and "<script" not in html and "style=" not in html
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/css/app.css"]
    entries = _explained_items(app, "html@example.com")
    assert len(entries) >= 6
    assert html.count('class="mydata-item"') == len(entries)
    for entry in entries:
        assert entry.item.title in html
        if entry.explanation:
            assert entry.explanation["purpose"] in html
            assert f"Art. {entry.explanation['legal_basis_article']} GDPR" in html
    assert html.count('class="retention"') == sum(1 for entry in entries if entry.explanation)
    for expected in ("Gábor Nagy", "+36201234567", "Disclosed to Opennetworks Kft.", "until about"):
        assert expected in html
    made = db_session.scalars(select(DataRequest).where(DataRequest.email == "html@example.com")).one()
    assert made.kind == "access" and made.channel == "portal" and made.state == "received"
    assert [event.action for event in made.events] == ["received", "report_built"]
    assert db_session.get(SubjectReport, report_id).request_id == made.id


def test_access_report_json_and_xml_carry_the_same_items(app, client, db_session, run_jobs):
    _person(app, db_session, "json@example.com")
    _id, json_link = _built(client, run_jobs, "access:json", "json@example.com")
    content = json.loads(Fetched(client, json_link).data)
    entries = _explained_items(app, "json@example.com")
    # messages about the request itself (receipts) may be queued while the report is built: compare the rest
    moving = {"E-mail to you", "Text message to you"}
    assert [item["title"] for item in content["items"] if item["title"] not in moving] == [
        entry.item.title for entry in entries if entry.item.title not in moving]
    explained = [item for item in content["items"] if item["explanation"]]
    assert explained and all(item["explanation"]["legal_basis"] and item["explanation"]["purpose"]
                             for item in explained)
    _id, xml_link = _built(client, run_jobs, "access:xml", "json@example.com")
    root = etree.fromstring(Fetched(client, xml_link).data)
    ns = "{urn:bizalom:access-report:1}"
    assert [node.text for node in root.iterfind(f"{ns}item/{ns}title") if node.text not in moving] == [
        i["title"] for i in content["items"] if i["title"] not in moving]
    assert len(root.findall(f"{ns}request")) == 2  # both access requests, logged through the portal


def test_access_report_downloads_again_within_its_lifetime(app, client, db_session, run_jobs):
    _person(app, db_session, "again@example.com")
    _id, link = _built(client, run_jobs, "access:json", "again@example.com")
    assert Fetched(client, link).status_code == Fetched(client, link).status_code == 200


def test_forged_expired_and_reused_links_disclose_nothing(app, client, db_session, run_jobs):
    _person(app, db_session, "links@example.com")
    report_id, link = _built(client, run_jobs, "portability:csv", "links@example.com")
    forged = Fetched(client, f"/my-data/reports/{report_id}/download?token=forged")
    assert forged.status_code == 404 and "links@example.com" not in forged.get_data(as_text=True)
    assert client.get(f"/my-data/reports/{report_id}/download").status_code == 404
    assert Fetched(client, link).status_code == 200
    second = Fetched(client, link)
    assert second.status_code == 410 and "Gábor" not in second.get_data(as_text=True)
    assert "downloaded already" in client.get(f"/my-data/reports/{report_id}").get_data(as_text=True)

    other_id, other_link = _built(client, run_jobs, "portability:xml", "links@example.com")
    with time_machine.travel(clock.now() + timedelta(hours=25), tick=False):
        _portal(client, "links@example.com")
        expired = Fetched(client, other_link)
    assert expired.status_code == 410 and "Gábor" not in expired.get_data(as_text=True)
    assert db_session.get(SubjectReport, other_id).downloaded_at is None


def test_someone_elses_portal_session_gets_404(app, client, db_session, run_jobs):
    _person(app, db_session, "owner@example.com")
    _person(app, db_session, "intruder@example.com", name="Other Person", phone="+36301112222")
    report_id, link = _built(client, run_jobs, "portability:csv", "owner@example.com")
    _portal(client, "intruder@example.com")
    for path in (link, f"/my-data/reports/{report_id}"):
        response = Fetched(client, path)
        assert response.status_code == 404 and "owner@example.com" not in response.get_data(as_text=True)
    with client.session_transaction() as session:
        session.pop("mydata")
    assert Fetched(client, link).status_code == 404  # no portal session at all
    assert db_session.get(SubjectReport, report_id).downloaded_at is None


def test_without_a_portal_session_no_report_is_started(client, db_session, csrf):
    response = client.post("/my-data/reports", data={"what": "access:html", "csrf_token": csrf("/my-data")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/my-data")
    assert db_session.scalars(select(SubjectReport)).all() == []


def test_an_unknown_choice_is_refused_with_422(app, client, db_session):
    _person(app, db_session, "choice@example.com")
    _portal(client, "choice@example.com")
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    response = client.post("/my-data/reports", data={"what": "portability:pdf", "csrf_token": token})
    assert response.status_code == 422 and "choose one of the offered" in response.get_data(as_text=True)
    assert db_session.scalars(select(SubjectReport)).all() == []
    assert db_session.scalars(select(DataRequest).where(DataRequest.email == "choice@example.com")).all() == []


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_progress_fragment_polls_until_done(app, client, db_session, run_jobs, headers):
    _person(app, db_session, "progress@example.com")
    _portal(client, "progress@example.com")
    report_id = _ask_report(client, "access:html")
    waiting = client.get(f"/my-data/reports/{report_id}", headers=headers)
    body = waiting.get_data(as_text=True)
    assert waiting.status_code == 200 and "HX-Request" in waiting.headers["Vary"]
    assert 'hx-trigger="every 1s"' in body and "Waiting to start" in body
    assert ("<html" in body) is (not headers)
    assert run_jobs() >= 1
    done = client.get(f"/my-data/reports/{report_id}", headers=headers).get_data(as_text=True)
    assert "hx-trigger" not in done and "/download?token=" in done
    assert ("<html" in done) is (not headers)


def test_expired_reports_are_purged_with_their_files(app, client, db_session, run_jobs):
    _person(app, db_session, "purge@example.com")
    report_id, _link_ = _built(client, run_jobs, "access:xml", "purge@example.com")
    path = services.file_of(db_session.get(SubjectReport, report_id))
    assert path.is_file()
    from workers.reports import purge_expired_reports

    with time_machine.travel(clock.now() + timedelta(hours=23), tick=False):
        purge_expired_reports()
    assert path.is_file() and db_session.get(SubjectReport, report_id) is not None
    with time_machine.travel(clock.now() + timedelta(hours=25), tick=False):
        assert purge_expired_reports() == "purged 1"
    db_session.expire_all()
    assert not path.exists() and db_session.get(SubjectReport, report_id) is None


def test_privacy_officer_builds_an_access_report_from_the_console(app, client, db_session, run_jobs, make, login):
    _person(app, db_session, "console@example.com")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from webapp.dsr import services as dsr

        made = dsr.log("access", "console@example.com", "letter", "registered_address")
    db_session.commit()
    login(make.user(staff_role="privacy_officer"))
    detail = client.get(f"/privacy/requests/{made.id}").get_data(as_text=True)
    assert 'id="report-console"' in detail
    response = client.post(f"/privacy/requests/{made.id}/report",
                           data={"what": "access:html", "csrf_token": csrf_from(detail)})
    assert response.status_code == 303
    report_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert run_jobs() >= 1
    link = _link(client, report_id, prefix="/privacy/reports")
    html = Fetched(client, link).get_data(as_text=True)
    assert "Gábor Nagy" in html and "Disclosed to Opennetworks Kft." in html
    db_session.expire_all()
    request = db_session.get(DataRequest, made.id)
    assert request.state == "received"  # closing stays with the officer
    assert [event.action for event in request.events] == ["received", "report_built"]
    assert f"/privacy/reports/{report_id}" in client.get(f"/privacy/requests/{made.id}").get_data(as_text=True)
    assert client.get(f"/privacy/reports/{report_id}/download?token=nope").status_code == 404


def test_the_console_routes_refuse_other_staff(client, db_session, make, login):
    login(make.user(staff_role="operator"))
    assert client.get("/privacy/reports/1").status_code in (403, 404)


def test_the_portal_page_offers_the_reports(app, client, db_session):
    _person(app, db_session, "offer@example.com")
    _portal(client, "offer@example.com")
    page = client.get("/my-data").get_data(as_text=True)
    assert 'action="/my-data/reports"' in page
    assert all(f'value="{what}"' in page for what in ("access:html", "access:json", "access:xml", "portability:csv",
                                                       "portability:xlsx", "portability:xml"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(what=st.text(max_size=40))
def test_any_choice_is_either_a_report_or_a_clear_refusal(app, client, db_session, what):
    _portal(client, "fuzz@example.com")
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    response = client.post("/my-data/reports", data={"what": what, "csrf_token": token})
    valid = what in ("access:html", "access:json", "access:xml", "portability:csv", "portability:xlsx",
                     "portability:xml")
    assert response.status_code == (303 if valid else 422)


def test_erasure_helper_deletes_rows_and_files(app, client, db_session, run_jobs):
    _person(app, db_session, "erase@example.com")
    report_id, _link_ = _built(client, run_jobs, "portability:xlsx", "erase@example.com")
    path = services.file_of(db_session.get(SubjectReport, report_id))
    assert services.erase_for("Erase@example.com") == 1
    assert not path.exists() and db_session.get(SubjectReport, report_id) is None


def test_a_console_report_for_an_unknown_request_is_404(client, db_session, make, login, csrf):
    login(make.user(staff_role="privacy_officer"))
    token = csrf("/privacy/requests")
    assert client.post("/privacy/requests/999999/report", data={"what": "access:html",
                                                                 "csrf_token": token}).status_code == 404
    assert client.get("/privacy/reports/999999").status_code == 404


def test_the_report_is_written_in_the_visitors_language(app, client, db_session, run_jobs):
    _person(app, db_session, "sprache@example.com")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    _id, link = _built(client, run_jobs, "access:html", "sprache@example.com")
    assert '<html lang="de">' in Fetched(client, link).get_data(as_text=True)


def test_many_requests_within_an_hour_are_refused(app, client, db_session):
    _person(app, db_session, "many@example.com")
    _portal(client, "many@example.com")
    for _attempt in range(10):
        _ask_report(client, "access:json")
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    response = client.post("/my-data/reports", data={"what": "access:json", "csrf_token": token})
    assert response.status_code == 429 and "try again later" in response.get_data(as_text=True)
    assert len(db_session.scalars(select(SubjectReport).where(SubjectReport.email == "many@example.com")).all()) == 10
