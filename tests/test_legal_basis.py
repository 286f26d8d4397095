"""The legal-basis ledger: every transition is recorded, purposes change independently, history stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy.exc import IntegrityError

from webapp import clock
from webapp.leads import services as leads
from webapp.legalbasis import services as ledger
from webapp.legalbasis.models import LegalBasisEntry


@pytest.fixture()
def lead(app, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return leads.upsert("Lena@Example.com", "Lena Gruber", "trial")


def test_the_trial_to_subscription_to_archive_path(app, lead, db_session):
    start = clock.now()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        ledger.set_basis(lead.id, "trial", "legitimate_interest", "trial_form")
        with time_machine.travel(start + timedelta(days=20), tick=False):
            ledger.set_basis(lead.id, "contract", "contract", "subscribed")
            ledger.end_basis(lead.id, "trial", "subscribed")
        with time_machine.travel(start + timedelta(days=400), tick=False):
            ledger.end_basis(lead.id, "contract", "contract_ended")
            ledger.set_basis(lead.id, "invoicing", "legal_obligation", "contract_ended")
        assert ledger.in_force(lead.id, "trial", start + timedelta(days=1)).basis == "legitimate_interest"
        assert ledger.in_force(lead.id, "trial", start + timedelta(days=21)) is None
        assert ledger.in_force(lead.id, "contract", start + timedelta(days=100)).basis == "contract"
        assert ledger.in_force(lead.id, "contract", start + timedelta(days=401)) is None
        assert ledger.in_force(lead.id, "invoicing", start + timedelta(days=401)).basis == "legal_obligation"
        history = [(e.purpose, e.basis, e.ended_at is not None) for e in ledger.history(lead.id)]
    assert history == [("trial", "legitimate_interest", True), ("contract", "contract", True),
                       ("invoicing", "legal_obligation", False)]


def test_withdrawing_marketing_consent_leaves_the_contract_running(app, lead):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        ledger.set_basis(lead.id, "contract", "contract", "subscribed")
        ledger.set_basis(lead.id, "marketing_contact", "consent", "trial_form_checkbox")
        assert ledger.end_basis(lead.id, "marketing_contact", "consent_withdrawn") is True
        assert ledger.end_basis(lead.id, "marketing_contact", "consent_withdrawn") is False
        assert ledger.in_force(lead.id, "marketing_contact") is None
        assert ledger.in_force(lead.id, "contract").basis == "contract"


def test_a_new_basis_for_the_same_purpose_closes_the_old_one(app, lead):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        first = ledger.set_basis(lead.id, "newsletter", "consent", "double_opt_in")
        assert ledger.set_basis(lead.id, "newsletter", "consent", "double_opt_in") is first  # no duplicate
        with time_machine.travel(clock.now() + timedelta(minutes=5), tick=False):
            second = ledger.set_basis(lead.id, "newsletter", "legitimate_interest", "existing_customer")
    assert first.ended_at is not None and first.end_reason == "replaced:existing_customer"
    assert second.ended_at is None


def test_the_database_allows_one_open_entry_per_purpose(app, lead, db_session):
    now = clock.now()
    db_session.add_all([LegalBasisEntry(lead_id=lead.id, purpose="contract", basis="contract", started_at=now,
                                        reason="a"),
                        LegalBasisEntry(lead_id=lead.id, purpose="contract", basis="contract", started_at=now,
                                        reason="b")])
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.flush()


def test_unknown_purposes_and_bases_are_refused(app, lead):
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(ValueError):
        ledger.set_basis(lead.id, "profiling", "consent", "x")
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(ValueError):
        ledger.set_basis(lead.id, "contract", "vital_interest", "x")


def test_one_lead_per_address_whatever_the_channel(app, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        first = leads.upsert("Mark@Example.com", "Mark", "newsletter")
        again = leads.upsert("mark@example.com ", "Mark M.", "workshop", phone="+36201234567")
    assert first is again and (again.source, again.phone, again.email) == ("newsletter", "+36201234567",
                                                                           "mark@example.com")


def test_a_sign_in_counts_as_an_interaction_of_the_persons_lead(app, client, login, make, db_session):
    from datetime import timedelta

    import time_machine

    user = make.user(email="signin@example.com")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        lead = leads.upsert("signin@example.com", "Sign In", "trial")
    lead.last_interaction_at = clock.now() - timedelta(days=200)
    db_session.commit()
    with time_machine.travel(clock.now() + timedelta(minutes=1), tick=False):
        login(user)
        signed_in_at = clock.now()
    db_session.refresh(lead)
    assert lead.last_interaction_at == signed_in_at
