"""Workshop sign-ups: a booking request for consultants; "no further contact" stops every channel at once."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp import clock
from webapp.leads.models import Lead
from webapp.legalbasis import services as ledger
from webapp.messaging.models import OutboxEmail
from webapp.newsletter import campaigns
from webapp.newsletter.models import NewsletterSubscription, SignupEvidence
from webapp.workshops import services
from webapp.workshops.models import Appointment, BookingRequest

HTMX = {"HX-Request": "true"}
GOOD = {"name": "Gábor Nagy", "email": "gabor@example.com", "phone": "+36 20 123 4567", "topic": "Sales pipeline",
        "adult": "y", "website": ""}


def _signup(client, **change):
    data = {k: v for k, v in (GOOD | change).items() if v is not None}
    data["csrf_token"] = csrf_from(client.get("/workshop").get_data(as_text=True))
    return client.post("/workshop", data=data)


def _count(db_session, model):
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_signup_becomes_a_booking_request_for_consultants(client, login, make, db_session):
    assert _signup(client).status_code == 303
    lead = db_session.scalars(select(Lead)).one()
    request = db_session.scalars(select(BookingRequest)).one()
    assert (lead.phone, lead.source, request.state, request.topic) == ("+36201234567", "workshop", "open",
                                                                       "Sales pipeline")
    assert ledger.in_force(lead.id, "workshop").basis == "legitimate_interest"
    assert db_session.scalars(select(SignupEvidence.step)).all() == ["requested"]
    login(make.user(staff_role="consultant"))
    listing = client.get("/staff/workshops").get_data(as_text=True)
    assert "Gábor Nagy" in listing and "+36201234567" in listing
    response = client.post(f"/staff/workshops/{request.id}/book", data={
        "starts_at": "2026-12-03T10:00", "duration": "90", "csrf_token": csrf_from(listing)})
    assert response.status_code == 303
    appointment = db_session.scalars(select(Appointment)).one()
    db_session.refresh(request)
    assert request.state == "booked" and appointment.duration_minutes == 90
    assert appointment.starts_at.tzinfo is not None


def test_a_second_signup_adds_no_second_request(client, db_session):
    _signup(client)
    _signup(client, name="Gábor N.")
    assert [_count(db_session, m) for m in (Lead, BookingRequest, OutboxEmail)] == [1, 1, 1]


def test_bad_signups_are_explained_and_store_nothing(client, db_session):
    for change, message in (({"phone": "12"}, "valid phone number"), ({"adult": None}, "only for adults"),
                            ({"name": "Eve\nBcc: x@example.com"}, "Line breaks"),
                            ({"website": "x"}, "Please leave this field empty.")):
        response = _signup(client, **change)
        assert response.status_code == 422 and message in response.get_data(as_text=True), change
    assert [_count(db_session, m) for m in (Lead, BookingRequest, SignupEvidence, OutboxEmail)] == [0, 0, 0, 0]


def test_no_further_contact_stops_every_channel_at_once(app, client, db_session):
    _signup(client)
    mail = db_session.scalars(select(OutboxEmail)).one()
    path = re.search(r"http://localhost(/no-further-contact/\S+)", mail.text_body).group(1)
    lead = db_session.scalars(select(Lead)).one()
    subscription = NewsletterSubscription(lead_id=lead.id, state="confirmed", confirmed_at=clock.now())
    db_session.add(subscription)
    db_session.commit()
    page = client.get(path)
    assert page.status_code == 200 and lead.contact_stopped_at is None
    response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 200
    db_session.refresh(lead)
    assert lead.contact_stopped_at is not None
    assert db_session.scalars(select(BookingRequest.state)).one() == "closed"
    assert ledger.in_force(lead.id, "workshop") is None
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert services.call_list() == []
        campaign = campaigns.create("News", "Text", "http://localhost", None)
        assert campaigns.send(campaign) == 0  # the newsletter segment leaves them out
    # signing up again with the address (perhaps by someone else) contacts nobody
    assert _signup(client).status_code == 303
    assert _count(db_session, BookingRequest) == 1 and _count(db_session, OutboxEmail) == 1


def test_staff_can_record_a_stop_asked_for_on_the_phone(client, login, make, db_session):
    _signup(client)
    request = db_session.scalars(select(BookingRequest)).one()
    login(make.user(staff_role="sales"))
    token = csrf_from(client.get("/staff/workshops").get_data(as_text=True))
    assert client.post(f"/staff/workshops/{request.id}/stop", data={"csrf_token": token}).status_code == 303
    db_session.refresh(request)
    assert request.state == "closed" and request.lead.contact_stopped_at is not None
    response = client.post(f"/staff/workshops/{request.id}/book", data={"starts_at": "2026-12-03T10:00",
                                                                     "duration": "60", "csrf_token": token})
    assert response.status_code == 303 and _count(db_session, Appointment) == 0


def test_a_forged_stop_link_changes_nothing(client, db_session):
    _signup(client)
    lead = db_session.scalars(select(Lead)).one()
    for token in (f"{lead.id}.{'a' * 40}", "1", "x.y"):
        assert client.post(f"/no-further-contact/{token}").status_code in (400, 404)
    db_session.refresh(lead)
    assert lead.contact_stopped_at is None


def test_fragments_with_and_without_htmx(client, login, make, db_session):
    full, partial = client.get("/workshop"), client.get("/workshop", headers=HTMX)
    assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
    assert 'id="workshop-signup"' in partial.get_data(as_text=True)
    login(make.user(staff_role="consultant"))
    partial = client.get("/staff/workshops", headers=HTMX)
    assert 'id="workshop-requests"' in partial.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
