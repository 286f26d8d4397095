"""Data-subject requests: one calendar month with the end-of-month rule, extensions, the console, the portal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.conftest import csrf_from
from webapp import clock
from webapp.dsr import deadlines, services
from webapp.dsr.models import DataRequest
from webapp.leads.models import Lead
from webapp.legalbasis import services as ledger
from webapp.messaging.models import OutboxEmail
from webapp.newsletter.models import NewsletterSubscription

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(("received", "due"), [
    ("2027-01-31T10:00:00+00:00", date(2027, 2, 28)),
    ("2028-01-31T10:00:00+00:00", date(2028, 2, 29)),
    ("2027-03-31T10:00:00+00:00", date(2027, 4, 30)),
    ("2027-12-15T10:00:00+00:00", date(2028, 1, 15)),
    ("2027-01-30T23:30:00+00:00", date(2027, 2, 28)),  # 31 January in Budapest already
])
def test_one_calendar_month_with_the_end_of_month_rule(received, due):
    assert deadlines.due_on(datetime.fromisoformat(received)) == due


def test_extensions_reach_two_further_months_at_most(app, db_session):
    with time_machine.travel(datetime(2027, 1, 31, 9, tzinfo=UTC), tick=False), \
            app.test_request_context(headers={"Accept-Language": "en"}):
        request = services.log("access", "anna@example.com", "letter", "registered_address")
        assert request.due_on == date(2027, 2, 28)
        with pytest.raises(services.Refused):
            services.extend(request, date(2027, 5, 1), "complex", 1)  # beyond 30 April
        with pytest.raises(services.Refused):
            services.extend(request, date(2027, 2, 28), "complex", 1)  # not later than the deadline
        services.extend(request, date(2027, 4, 30), "Many systems to search.", None)
        with pytest.raises(services.Refused):
            services.extend(request, date(2027, 4, 29), "again", None)
    assert (request.state, request.deadline) == ("extended", date(2027, 4, 30))
    notices = db_session.scalars(select(OutboxEmail.subject).where(OutboxEmail.to_address == "anna@example.com")).all()
    assert notices == ["We received your request", "Your request needs more time"]
    assert [event.action for event in request.events] == ["received", "extended"]


def test_the_console_shows_due_and_overdue_requests(app, client, login, make, db_session):
    with time_machine.travel(clock.now() - timedelta(days=40), tick=False), \
            app.test_request_context(headers={"Accept-Language": "en"}):
        late = services.log("erasure", "late@example.com", "email", "registered_address")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        fresh = services.log("access", "fresh@example.com", "letter", "registered_address")
    db_session.commit()
    login(make.user(staff_role="privacy_officer"))
    page = client.get("/privacy/requests", headers=HTMX).get_data(as_text=True)
    assert page.index("late@example.com") < page.index("fresh@example.com")
    assert page.count('class="overdue"') == 1 and "<html" not in page
    token = csrf_from(client.get(f"/privacy/requests/{late.id}").get_data(as_text=True))
    response = client.post(f"/privacy/requests/{late.id}/close", data={"state": "done", "outcome": "Erased.",
                                                                        "csrf_token": token})
    assert response.status_code == 303
    db_session.refresh(late)
    assert late.state == "done" and late.closed_at is not None
    chart = client.get("/privacy/requests?state=closed").get_data(as_text=True)
    assert "bar-late" in chart and fresh.email not in chart


def test_staff_log_a_letter_with_the_identity_check(client, login, make, db_session):
    login(make.user(staff_role="privacy_officer"))
    token = csrf_from(client.get("/privacy/requests/new").get_data(as_text=True))
    missing = client.post("/privacy/requests/new", data={"kind": "rectification", "email": "bela@example.com",
                                                          "channel": "letter", "identity_check": "extra_verification",
                                                          "csrf_token": token})
    assert missing.status_code == 422 and "Describe the extra verification." in missing.get_data(as_text=True)
    assert db_session.scalars(select(DataRequest)).all() == []
    done = client.post("/privacy/requests/new", data={"kind": "rectification", "email": "bela@example.com",
                                                       "channel": "letter", "identity_check": "extra_verification",
                                                       "identity_note": "Called back on the number we hold",
                                                       "csrf_token": token})
    assert done.status_code == 303
    logged = db_session.scalars(select(DataRequest)).one()
    assert (logged.identity_note, logged.channel, logged.logged_by_id is not None) == (
        "Called back on the number we hold", "letter", True)


def test_stop_contact_and_withdrawal_in_the_portal_take_effect_at_once(app, client, make, db_session):
    lead = Lead(name="Dóra", email="dora@example.com", source="newsletter", last_interaction_at=clock.now())
    db_session.add(lead)
    db_session.flush()
    db_session.add(NewsletterSubscription(lead_id=lead.id, state="confirmed", confirmed_at=clock.now()))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        ledger.set_basis(lead.id, "marketing_contact", "consent", "form")
    db_session.commit()
    with client.session_transaction() as session:
        session["mydata"] = {"email": "dora@example.com", "until": (clock.now() + timedelta(minutes=10)).isoformat()}
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    client.post("/my-data/requests", data={"kind": "withdrawal", "csrf_token": token})
    client.post("/my-data/requests", data={"kind": "stop_contact", "csrf_token": token})
    client.post("/my-data/requests", data={"kind": "erasure", "details": "Everything, please.", "csrf_token": token})
    db_session.refresh(lead)
    states = dict(db_session.execute(select(DataRequest.kind, DataRequest.state)).all())
    assert states == {"withdrawal": "done", "stop_contact": "done", "erasure": "received"}
    assert lead.contact_stopped_at is not None and ledger.in_force(lead.id, "marketing_contact") is None
    assert db_session.scalars(select(NewsletterSubscription.state)).one() == "unsubscribed"
    assert "answer due by" in client.get("/my-data").get_data(as_text=True)


def test_huge_or_foreign_request_payloads_are_refused_and_disclose_nothing(app, client, make, db_session):
    lead = Lead(name="Vera Vad", email="vera@example.com", source="newsletter", last_interaction_at=clock.now())
    db_session.add(lead)
    db_session.commit()
    with client.session_transaction() as session:
        session["mydata"] = {"email": "vera@example.com", "until": (clock.now() + timedelta(minutes=10)).isoformat()}
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    huge = client.post("/my-data/requests", data={"kind": "rectification", "details": "x" * 100_000,
                                                  "csrf_token": token})
    assert huge.status_code in (413, 422)
    unknown = client.post("/my-data/requests", data={"kind": "delete_everyone", "csrf_token": token})
    assert unknown.status_code == 422
    assert db_session.scalars(select(DataRequest)).all() == []
    # a request always concerns the proven address: a posted e-mail field is ignored
    client.post("/my-data/requests", data={"kind": "access", "email": "someone.else@example.com",
                                           "csrf_token": token})
    assert db_session.scalars(select(DataRequest.email)).all() == ["vera@example.com"]
