"""Restriction and objection: marketing, segments, campaigns and sends leave the person out at once;
lifting a restriction needs a recorded reason; a restricted lead is not purged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import csrf_from
from webapp import clock
from webapp.dsr import services as dsr
from webapp.dsr.models import DataRequest
from webapp.leads.models import Lead
from webapp.legalbasis import services as ledger
from webapp.messaging import disclosures
from webapp.newsletter import campaigns
from webapp.newsletter.models import NewsletterSubscription
from webapp.retention import services as retention
from webapp.segments import filters

EN = {"Accept-Language": "en"}


def _subscriber(db_session, email, **fields):
    lead = Lead(name="Person", email=email, phone=fields.pop("phone", None), source="newsletter",
                last_interaction_at=fields.pop("last", clock.now()), **fields)
    db_session.add(lead)
    db_session.flush()
    db_session.add(NewsletterSubscription(lead_id=lead.id, state="confirmed", confirmed_at=clock.now()))
    db_session.flush()
    return lead


def test_restricted_and_objecting_people_get_no_marketing(app, db_session):
    _subscriber(db_session, "free@example.com")
    _subscriber(db_session, "restricted@example.com", restricted_at=clock.now(), phone="+36301112233")
    _subscriber(db_session, "objected@example.com", marketing_objection_at=clock.now())
    with app.test_request_context(headers=EN):
        assert campaigns.send(campaigns.create("News", "Text", "http://localhost", None)) == 1
        segment_ids = set(db_session.scalars(filters.lead_ids({})))
        emails = set(db_session.scalars(select(Lead.email).where(Lead.id.in_(segment_ids))))
        assert emails == {"free@example.com"}
        assert disclosures.stopped_address("restricted@example.com") and disclosures.stopped_address(
            "objected@example.com") and not disclosures.stopped_address("free@example.com")
        assert disclosures.stopped_numbers(["+36301112233"]) == {"+36301112233"}


def test_an_objection_in_the_portal_stops_marketing_and_restricts_until_decided(app, client, login, make,
                                                                                  db_session):
    lead = _subscriber(db_session, "obj@example.com")
    with app.test_request_context(headers=EN):
        ledger.set_basis(lead.id, "marketing_contact", "consent", "form")
    db_session.commit()
    with client.session_transaction() as session:
        session["mydata"] = {"email": "obj@example.com", "until": (clock.now() + timedelta(minutes=10)).isoformat()}
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    client.post("/my-data/requests", data={"kind": "objection", "details": "Stop profiling me", "csrf_token": token})
    db_session.refresh(lead)
    assert lead.marketing_objection_at is not None and lead.restricted_at is not None
    assert db_session.scalars(select(NewsletterSubscription.state)).one() == "unsubscribed"
    assert ledger.in_force(lead.id, "marketing_contact") is None
    request = db_session.scalars(select(DataRequest)).one()
    assert request.state == "received"  # the balancing decision is still to come
    login(make.user(staff_role="privacy_officer"))
    page = client.get(f"/privacy/requests/{request.id}").get_data(as_text=True)
    staff_token = csrf_from(page)
    assert "restricted since" in page
    refused = client.post(f"/privacy/requests/{request.id}/restriction", data={"do": "lift", "reason": " ",
                                                                               "csrf_token": staff_token})
    assert refused.status_code == 303
    db_session.refresh(lead)
    assert lead.restricted_at is not None
    client.post(f"/privacy/requests/{request.id}/restriction", data={
        "do": "lift", "reason": "Balancing: our interest in the call log outweighs", "csrf_token": staff_token})
    db_session.refresh(lead)
    assert lead.restricted_at is None and lead.marketing_objection_at is not None  # marketing stays stopped
    notes = [event.note for event in db_session.get(DataRequest, request.id).events if event.action ==
             "restriction_lifted"]
    assert notes == ["Balancing: our interest in the call log outweighs"]


def test_a_restricted_lead_is_kept_by_the_retention_run(app, db_session):
    old = clock.now() - timedelta(days=800)
    kept = _subscriber(db_session, "keepme@example.com", restricted_at=clock.now(), last=old)
    gone = _subscriber(db_session, "goes@example.com", last=old)
    kept_id, gone_id = kept.id, gone.id
    db_session.commit()
    with app.test_request_context(headers=EN):
        retention.run()
    db_session.expire_all()
    assert db_session.get(Lead, kept_id) is not None and db_session.get(Lead, gone_id) is None


def test_staff_restrict_from_a_logged_request(app, client, login, make, db_session):
    lead = _subscriber(db_session, "letter@example.com")
    with app.test_request_context(headers=EN):
        request = dsr.log("restriction", "letter@example.com", "letter", "registered_address")
    db_session.commit()
    login(make.user(staff_role="privacy_officer"))
    token = csrf_from(client.get(f"/privacy/requests/{request.id}").get_data(as_text=True))
    client.post(f"/privacy/requests/{request.id}/restriction", data={"do": "restrict", "csrf_token": token})
    db_session.refresh(lead)
    assert lead.restricted_at is not None
