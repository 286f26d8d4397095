"""The privacy officer's retention dashboard: the next purge, reports, legal holds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from webapp.leads.models import Lead
from webapp.retention import services
from webapp.retention.models import LegalHold

HX = {"HX-Request": "true"}
NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.fixture()
def officer(make, login):
    user = make.user(staff_role="privacy_officer")
    login(user)
    return user


def _lead(db_session, days: int) -> Lead:
    row = Lead(name="Preview Person", email=f"{uuid.uuid4().hex[:8]}@example.org", source="newsletter",
               last_interaction_at=NOW - timedelta(days=days))
    db_session.add(row)
    db_session.commit()
    return row


def test_the_dashboard_page_and_its_fragment(client, officer, db_session):
    services.run(as_of=NOW, dry_run=True)
    page = client.get("/privacy/retention/")
    fragment = client.get("/privacy/retention/", headers=HX)
    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.get_data(as_text=True) and "leads_newsletter" in page.get_data(as_text=True)
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and 'id="retention-dashboard"' in text and "dry run" in text
    assert "HX-Request" in page.headers["Vary"]


def test_the_preview_fragment_counts_what_a_day_would_take(client, officer, db_session):
    _lead(db_session, days=300)
    soon = client.get("/privacy/retention/preview?as_of=2026-12-01", headers=HX).get_data(as_text=True)
    later = client.get("/privacy/retention/preview?as_of=2027-03-01", headers=HX).get_data(as_text=True)
    assert soon.startswith('<section id="retention-preview"') and "<html" not in soon

    def count(html):
        row = html.split("<td>leads_newsletter</td>")[1].split("</tr>")[0]
        return int(row.split("<td>")[3].split("</td>")[0])

    assert (count(soon), count(later)) == (0, 1)
    assert "<html" in client.get("/privacy/retention/preview?as_of=2027-03-01").get_data(as_text=True)
    assert client.get("/privacy/retention/preview?as_of=not-a-day", headers=HX).status_code == 422
    assert db_session.scalar(select(Lead.id).where(Lead.name == "Preview Person")) is not None


def test_a_report_page_and_fragment(client, officer, db_session):
    report = services.run(as_of=NOW, dry_run=True)
    page = client.get(f"/privacy/retention/runs/{report.id}")
    fragment = client.get(f"/privacy/retention/runs/{report.id}", headers=HX).get_data(as_text=True)
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert "<html" not in fragment and "sms_bodies" in fragment
    assert client.get("/privacy/retention/runs/999999").status_code == 404


def test_placing_and_releasing_a_hold(client, officer, csrf, db_session):
    token = csrf("/privacy/retention/")
    response = client.post("/privacy/retention/holds", data={
        "scope": "person", "email": "Held@Example.org", "reason": "legal claim", "csrf_token": token})
    assert response.status_code == 303
    hold = db_session.scalar(select(LegalHold).where(LegalHold.email == "held@example.org"))
    assert hold.created_by_id == officer.id and hold.released_at is None
    assert "held@example.org" in client.get("/privacy/retention/").get_data(as_text=True)
    assert client.post(f"/privacy/retention/holds/{hold.id}/release", data={"csrf_token": token}).status_code == 303
    db_session.expire_all()
    assert hold.released_at is not None and hold.released_by_id == officer.id


@pytest.mark.parametrize("data", [
    {"scope": "person", "reason": "no address"},
    {"scope": "record", "table_name": "leads", "reason": "no id"},
    {"scope": "record", "table_name": "users", "record_id": "3", "reason": "not a target"},
    {"scope": "person", "email": "a@example.org", "reason": ""},
    {"scope": "planet", "email": "a@example.org", "reason": "x"},
])
def test_an_incomplete_hold_is_refused_with_422(client, officer, csrf, db_session, data):
    response = client.post("/privacy/retention/holds", data=data | {"csrf_token": csrf("/privacy/retention/")})
    assert response.status_code == 422
    assert db_session.scalar(select(LegalHold.id)) is None


def test_a_record_hold_from_the_form(client, officer, csrf, db_session):
    row = _lead(db_session, days=400)
    response = client.post("/privacy/retention/holds", data={
        "scope": "record", "table_name": "leads", "record_id": str(row.id), "reason": "dispute",
        "until": "2027-01-31", "csrf_token": csrf("/privacy/retention/")})
    assert response.status_code == 303
    hold = db_session.scalar(select(LegalHold))
    assert (hold.table_name, hold.record_id, hold.until) == ("leads", row.id, datetime(2027, 1, 31, tzinfo=UTC))
    services.run(as_of=NOW)
    db_session.expire_all()
    assert db_session.get(Lead, row.id) is not None


@pytest.mark.parametrize("role", ["support", "operator", "developer"])
def test_other_staff_are_refused(client, make, login, csrf, role, db_session):
    login(make.user(staff_role=role))
    assert client.get("/privacy/retention/").status_code == 403
    token = csrf("/login")
    assert client.post("/privacy/retention/holds", data={"scope": "person", "email": "x@example.org",
                                                          "reason": "x", "csrf_token": token}).status_code == 403
    assert db_session.scalar(select(LegalHold.id)) is None


def test_seeing_held_addresses_is_logged(client, officer, db_session, events):
    hold = services.add_hold(scope="person", email="seen@example.org", reason="claim", created_by_id=None)
    db_session.commit()
    client.get("/privacy/retention/")
    [entry] = events("personal_data_viewed")
    assert entry.user_id == officer.id and str(hold.id) in entry.detail and "seen@example.org" not in entry.detail
