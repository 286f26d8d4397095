"""Trial sign-up: terms and declaration recorded statement by statement; a trial tenant; closing and expiry."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp import clock
from webapp.billing import subscriptions
from webapp.leads.models import Lead
from webapp.legalbasis import services as ledger
from webapp.messaging.models import OutboxEmail
from webapp.tenant_admin.models import Invitation
from webapp.tenants.models import Tenant
from webapp.trials import services
from webapp.trials.models import TrialSignup, TrialStatement

GOOD = {"name": "Lena Gruber", "email": "lena@alpen.example", "phone": "+43 664 1234567", "company": "Alpen Kft.",
        "terms": "y", "adult": "y", "no_special": "y", "no_ids": "y", "ui_only": "y", "consultants": "y",
        "website": ""}
HTMX = {"HX-Request": "true"}


def _signup(client, **change):
    data = {k: v for k, v in (GOOD | change).items() if v is not None}
    data["csrf_token"] = csrf_from(client.get("/trial").get_data(as_text=True))
    return client.post("/trial", data=data)


def _count(db_session, model):
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_signup_creates_a_trial_tenant_and_records_every_statement(client, db_session):
    tenants_before = _count(db_session, Tenant)
    assert _signup(client).status_code == 303
    signup = db_session.scalars(select(TrialSignup)).one()
    tenant, lead = db_session.get(Tenant, signup.tenant_id), db_session.get(Lead, signup.lead_id)
    assert _count(db_session, Tenant) == tenants_before + 1
    assert (tenant.name, tenant.state, lead.source, lead.phone) == ("Alpen Kft.", "trial", "trial", "+436641234567")
    assert signup.terms_version_id == services.current_terms().id
    given = {row.statement: row.given for row in db_session.scalars(select(TrialStatement))}
    assert given == {"adult_and_authorised": True, "no_special_categories": True, "no_id_numbers": True,
                     "customer_data_via_ui": True, "consultants_via_invitation": True, "marketing_contact": False}
    assert ledger.in_force(lead.id, "trial").basis == "legitimate_interest"
    assert ledger.in_force(lead.id, "marketing_contact") is None
    invitation = db_session.scalars(select(Invitation).where(Invitation.tenant_id == tenant.id)).one()
    assert (invitation.role, invitation.email) == ("admin", "lena@alpen.example")
    mail = db_session.scalars(select(OutboxEmail)).one()
    path = re.search(r"http://localhost(/\S+)", mail.text_body).group(1)
    page = client.get(path)
    assert page.status_code == 200 and "Alpen Kft." in page.get_data(as_text=True)


def test_the_optional_marketing_consent_is_kept_apart(client, db_session):
    _signup(client, marketing="y")
    lead = db_session.scalars(select(Lead)).one()
    assert ledger.in_force(lead.id, "marketing_contact").basis == "consent"
    assert db_session.scalars(select(TrialStatement.given).where(
        TrialStatement.statement == "marketing_contact")).one() is True


def test_every_statement_and_the_terms_are_required(client, db_session):
    tenants_before = _count(db_session, Tenant)
    for missing in ("terms", "adult", "no_special", "no_ids", "ui_only", "consultants"):
        response = _signup(client, **{missing: None})
        assert response.status_code == 422, missing
        assert ("Please accept the terms." if missing == "terms" else "This statement is needed for a trial.") \
            in response.get_data(as_text=True)
    for change in ({"name": "Eve\r\nBcc: x@example.com"}, {"website": "bot"}, {"phone": "123"}):
        assert _signup(client, **change).status_code == 422
    assert _count(db_session, Tenant) == tenants_before
    assert [_count(db_session, m) for m in (Lead, TrialSignup, TrialStatement, Invitation, OutboxEmail)] == [0] * 5


def test_a_second_signup_with_the_same_address_creates_no_second_trial(client, make, db_session):
    _signup(client)
    _signup(client, company="Other Kft.")
    assert _count(db_session, TrialSignup) == 1
    make.user(email="taken@example.com")
    assert _signup(client, email="taken@example.com").status_code == 303
    assert _count(db_session, TrialSignup) == 1
    mails = db_session.scalars(select(OutboxEmail.to_address).order_by(OutboxEmail.id)).all()
    assert mails == ["lena@alpen.example", "lena@alpen.example", "taken@example.com"]


def test_a_post_without_its_token_is_refused(client, db_session):
    response = client.post("/trial", data={k: v for k, v in GOOD.items()})
    assert response.status_code == 400 and _count(db_session, TrialSignup) == 0


def test_closing_the_trial_signs_out_and_starts_the_deletion_clock(client, login, make, db_session):
    _signup(client)
    signup = db_session.scalars(select(TrialSignup)).one()
    tenant = db_session.get(Tenant, signup.tenant_id)
    admin = make.user(tenant=tenant, role="admin", email="lena.admin@alpen.example")
    db_session.commit()
    login(admin)
    page = client.get("/settings/trial")
    assert "Close the trial now" in page.get_data(as_text=True)
    response = client.post("/settings/trial/close", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 200
    db_session.refresh(tenant)
    assert tenant.state == "closed" and tenant.closed_at is not None
    assert ledger.in_force(signup.lead_id, "trial") is None
    assert client.get("/settings/trial").status_code in (302, 303, 401)


def test_trials_close_by_themselves_after_their_length(app, make, db_session):
    old, young = make.tenant(state="trial"), make.tenant(state="trial")
    old.created_at = clock.now() - timedelta(days=31)
    young.created_at = clock.now() - timedelta(days=29)
    db_session.flush()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert services.close_expired() >= 1
    assert (old.state, young.state) == ("closed", "trial")


def test_subscribing_turns_the_trial_into_a_contract(app, client, db_session):
    _signup(client, marketing="y")
    signup = db_session.scalars(select(TrialSignup)).one()
    tenant = db_session.get(Tenant, signup.tenant_id)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with time_machine.travel(clock.now() + timedelta(days=3), tick=False):
            subscriptions.start(tenant, "team", 3, clock.now().date(), None)
        later = clock.now() + timedelta(days=4)
        assert ledger.in_force(signup.lead_id, "contract", later).basis == "contract"
        assert ledger.in_force(signup.lead_id, "trial", later) is None
        ledger.end_basis(signup.lead_id, "marketing_contact", "consent_withdrawn")
        assert ledger.in_force(signup.lead_id, "contract", later).basis == "contract"


def test_fragments_with_and_without_htmx(client, db_session):
    for path, marker in (("/trial", 'id="trial-signup"'), ("/terms", 'id="terms"')):
        full, partial = client.get(path), client.get(path, headers=HTMX)
        assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
        assert marker in partial.get_data(as_text=True)
