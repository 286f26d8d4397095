"""Integrations: a provider outside the EU needs the tenant admin's explicit consent, recorded and in the
transfer log; the calendar feed shows only the own tenant's open tasks, and stops when switched off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp import clock, tenancy
from webapp.activities.models import Task
from webapp.integrations.models import TenantIntegration
from webapp.site.seed import seed_all
from webapp.transfers.models import Transfer


@pytest.fixture()
def registry(app, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        seed_all()  # the sub-processor registry: Apple Inc. is flagged as outside the EU
    db_session.commit()


def _task(make, tenant, title, due_days=3, done=False):
    contact = make.contact(tenant)
    with tenancy.scoped(tenant.id):
        from webapp.extensions import db

        task = Task(tenant_id=tenant.id, contact_id=contact.id, title=title,
                    due_on=(clock.now() + timedelta(days=due_days)).date(), done_at=clock.now() if done else None)
        db.session.add(task)
        db.session.flush()
    return task


def test_a_third_country_integration_needs_explicit_consent(client, login, make, db_session, registry):
    admin = make.user(role="admin")
    db_session.commit()
    login(admin)
    token = csrf_from(client.get("/settings/integrations").get_data(as_text=True))
    refused = client.post("/settings/integrations/apple_calendar/enable", data={"csrf_token": token})
    assert refused.status_code == 422 and "Please tick the box" in refused.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Transfer)) == 0
    agreed = client.post("/settings/integrations/apple_calendar/enable", data={"csrf_token": token, "consent": "yes"})
    assert agreed.status_code == 303
    with tenancy.scoped(admin.tenant_id):
        row = db_session.scalars(select(TenantIntegration)).one()
    assert (row.third_country, row.enabled_by_id, len(row.consent_text_hash)) == (True, admin.id, 64)
    entry = db_session.scalars(select(Transfer)).one()
    assert (entry.recipient, entry.legal_basis, entry.subject_user_id) == ("Apple Inc.", "consent", admin.id)


def test_an_eu_integration_needs_no_extra_consent(client, login, make, db_session, registry):
    admin = make.user(role="admin")
    db_session.commit()
    login(admin)
    token = csrf_from(client.get("/settings/integrations").get_data(as_text=True))
    assert client.post("/settings/integrations/google_calendar/enable", data={"csrf_token": token}).status_code == 303
    assert db_session.scalars(select(Transfer.legal_basis)).one() == "contract"


def test_the_feed_holds_only_the_own_tenants_open_tasks_and_stops_when_off(client, login, make, db_session,
                                                                          registry):
    admin, other = make.user(role="admin"), make.user(role="admin")
    _task(make, admin.tenant, "Call Anna about the offer")
    _task(make, admin.tenant, "Already done", done=True)
    _task(make, other.tenant, "Other tenant's secret task")
    db_session.commit()
    login(admin)
    token = csrf_from(client.get("/settings/integrations").get_data(as_text=True))
    client.post("/settings/integrations/apple_calendar/enable", data={"csrf_token": token, "consent": "yes"})
    page = client.get("/settings/integrations").get_data(as_text=True)
    feed = re.search(r"http://localhost(/calendar/[^<\s]+\.ics)", page).group(1)
    assert feed not in client.get("/settings/integrations").get_data(as_text=True)  # shown once
    anonymous = client.application.test_client()
    calendar = anonymous.get(feed)
    body = calendar.get_data(as_text=True)
    assert calendar.status_code == 200 and calendar.mimetype == "text/calendar"
    assert "Call Anna about the offer" in body and "Already done" not in body and "secret task" not in body
    with tenancy.scoped(admin.tenant_id):
        row_id = db_session.scalars(select(TenantIntegration.id)).one()
    client.post(f"/settings/integrations/{row_id}/disable", data={"csrf_token": token})
    assert anonymous.get(feed).status_code == 404
    assert anonymous.get("/calendar/forged-token.ics").status_code == 404


def test_fragment_with_and_without_htmx(client, login, make, db_session, registry):
    login(make.user(role="admin"))
    full, partial = client.get("/settings/integrations"), client.get("/settings/integrations",
                                                                     headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
    assert 'id="integrations"' in partial.get_data(as_text=True) and "outside the EU" in partial.get_data(as_text=True)
