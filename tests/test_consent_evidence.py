"""Consent evidence for privacy staff: date range, lookup by consent id, CSV and JSON exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
import time_machine

from tests.conftest import csrf_from
from webapp.consent.models import ConsentDecision


@pytest.fixture()
def history(app, db_session):
    """Three visitors: March (accept), April (reject, then a settings change), June (GPC)."""
    ids = []
    for when, action, headers in ((datetime(2026, 3, 10, 9, tzinfo=UTC), "accept_all", {}),
                                  (datetime(2026, 4, 2, 23, 59, tzinfo=UTC), "reject_all", {}),
                                  (datetime(2026, 6, 1, 0, 0, tzinfo=UTC), "accept_all", {"Sec-GPC": "1"})):
        visitor = app.test_client()
        with time_machine.travel(when, tick=False):
            token = csrf_from(visitor.get("/").get_data(as_text=True))
            visitor.post("/consent", data={"action": action, "csrf_token": token}, headers=headers)
            ids.append(visitor.get_cookie("consent").value.split(".")[0])
        if action == "reject_all":
            with time_machine.travel(datetime(2026, 4, 20, tzinfo=UTC), tick=False):
                token = csrf_from(visitor.get("/cookie-settings").get_data(as_text=True))
                visitor.post("/cookie-settings", data={"action": "choose", "service": "first_party_analytics",
                                                       "csrf_token": token})
    return ids


@pytest.fixture()
def officer(client, make, login):
    login(make.user(staff_role="privacy_officer"))
    return client


def test_csv_export_of_a_date_range(officer, history):
    response = officer.get("/staff/consents/export.csv?start=2026-04-01&end=2026-04-30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="consent-evidence-2026-04-01-2026-04-30.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["consent_id"].lstrip("'"), r["method"], r["action"], r["analytics"], r["marketing"]) for r in rows] == [
        (history[1], "banner", "reject_all", "false", "false"),
        (history[1], "settings", "choose", "true", "false")]
    assert rows[0]["decided_at"] == "2026-04-02T23:59:00+00:00"


def test_json_export_includes_the_day_boundaries(officer, history):
    data = officer.get("/staff/consents/export.json?start=2026-03-10&end=2026-06-01").get_json()
    assert [d["consent_id"] for d in data] == [history[0], history[1], history[1], history[2]]
    gpc = data[-1]
    assert gpc["gpc"] is True and gpc["marketing"] is False and gpc["analytics"] is True
    assert set(gpc) >= {"notice_version_id", "notice_number", "notice_hash", "services", "expires_at"}
    assert officer.get("/staff/consents/export.json?start=2026-03-11&end=2026-05-31").get_json()[0]["consent_id"] \
        == history[1]


def test_lookup_by_consent_id(officer, history, events):
    html = officer.get(f"/staff/consents?start=2026-01-01&end=2026-12-31&consent_id={history[1]}") \
        .get_data(as_text=True)
    assert html.count(f"<code>{history[1]}</code>") == 2 and history[0] not in html
    data = officer.get(f"/staff/consents/export.json?start=2026-01-01&end=2026-12-31&consent_id={history[1]}") \
        .get_json()
    assert [d["action"] for d in data] == ["reject_all", "choose"]
    assert [json.loads(e.detail)["view"] for e in events("personal_data_viewed")] == ["consent.evidence",
                                                                         "consent.evidence_export"]


def test_evidence_partial_for_htmx(officer, history):
    response = officer.get("/staff/consents?start=2026-03-01&end=2026-03-31", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="consent-evidence"' in html and history[0] in html


@pytest.mark.parametrize("query", ["start=2026-05-01&end=2026-04-01", "start=not-a-date", "start=2000-01-01",
                                   "consent_id=" + "x" * 40, "consent_id=a%3Cb"])
def test_bad_ranges_get_a_clear_error(officer, history, query):
    page = officer.get(f"/staff/consents?{query}")
    assert page.status_code == 422 and 'class="errors"' in page.get_data(as_text=True)
    export = officer.get(f"/staff/consents/export.csv?{query}")
    assert export.status_code == 400


def test_unknown_export_format_is_not_found(officer):
    assert officer.get("/staff/consents/export.xml").status_code == 404


def test_csv_cells_never_start_a_formula(officer, db_session):
    now = datetime(2026, 5, 5, tzinfo=UTC)
    db_session.add(ConsentDecision(consent_id="-cmd", decided_at=now, expires_at=now, method="banner",
                                   action="reject_all", gpc=False, categories={}, services=[]))
    db_session.flush()
    body = officer.get("/staff/consents/export.csv?start=2026-05-05&end=2026-05-05").get_data(as_text=True)
    assert "'-cmd" in body


@pytest.mark.parametrize("role", ["support", "operator", "sales", "developer", "consultant"])
def test_other_staff_cannot_see_evidence(client, make, login, role):
    login(make.user(staff_role=role))
    assert client.get("/staff/consents").status_code == 403
    assert client.get("/staff/consents/export.csv").status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get("/staff/consents/export.json").status_code == 302
