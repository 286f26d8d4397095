"""The "my data" portal: one-time links without enumeration, and a report explained by the records
of processing."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp import clock
from webapp.messaging.models import OutboxEmail
from webapp.mydata.models import PortalLink
from webapp.newsletter import services as newsletter
from webapp.transfers import services as transfers
from webapp.workshops import services as workshops

HTMX = {"HX-Request": "true"}


def _ask(client, email):
    token = csrf_from(client.get("/my-data").get_data(as_text=True))
    return client.post("/my-data", data={"email": email, "csrf_token": token})


def _held_person(app, db_session, email="gabor@example.com"):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        workshops.register("Gábor Nagy", email, "+36201234567", "Pipelines", form="site:workshop")
        newsletter.request_subscription("Gábor Nagy", email, form="site:newsletter")
        transfers.record(transfers.Disclosure(recipient="Opennetworks Kft.", recipient_kind="processor",
                                              legal_basis="contract", purpose="sms", data_description="phone, text",
                                              subject_phone="+36201234567", reference="sms:9"))
    db_session.commit()


def _open_portal(client, db_session, email):
    _ask(client, email)
    mail = db_session.scalars(select(OutboxEmail).where(OutboxEmail.subject.contains("data we hold"))).one()
    path = re.search(r"http://localhost(/my-data/open/\S+)", mail.text_body).group(1)
    page = client.get(path)
    return path, client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})


def test_the_answer_is_the_same_for_known_and_unknown_addresses(app, client, db_session):
    _held_person(app, db_session, "gabor0@example.com")
    known, unknown = _ask(client, "gabor0@example.com"), _ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r'name="csrf_token" value="[^"]+"')
    assert strip.sub("", known.get_data(as_text=True)) == strip.sub("", unknown.get_data(as_text=True))
    assert db_session.scalar(select(func.count(PortalLink.id))) == 1
    assert db_session.scalars(select(OutboxEmail.to_address).where(
        OutboxEmail.subject.contains("data we hold"))).all() == ["gabor0@example.com"]


def test_the_report_shows_everything_with_its_explanation(app, client, db_session):
    _held_person(app, db_session, "gabor1@example.com")
    _path, response = _open_portal(client, db_session, "gabor1@example.com")
    assert response.status_code == 303
    report = client.get("/my-data").get_data(as_text=True)
    for expected in ("Gábor Nagy", "+36201234567", "Workshop request", "Pipelines", "Newsletter",
                     "Disclosed to Opennetworks Kft.", "Legal basis for workshop", "Art. 6"):
        assert expected in report, expected
    assert "until about" in report  # a retention date computed from the records of processing


def test_a_link_works_once_and_expires(app, client, db_session):
    _held_person(app, db_session, "gabor2@example.com")
    path, first = _open_portal(client, db_session, "gabor2@example.com")
    assert first.status_code == 303
    client.post("/my-data/close", data={"csrf_token": csrf_from(client.get("/my-data").get_data(as_text=True))})
    page = client.get(path)
    again = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert again.status_code == 410 and "Gábor" not in again.get_data(as_text=True)
    assert "Gábor" not in client.get("/my-data").get_data(as_text=True)


def test_an_expired_link_shows_nothing(app, client, db_session):
    _held_person(app, db_session, "gabor3@example.com")
    _ask(client, "gabor3@example.com")
    mail = db_session.scalars(select(OutboxEmail).where(OutboxEmail.subject.contains("data we hold"))).one()
    path = re.search(r"http://localhost(/my-data/open/\S+)", mail.text_body).group(1)
    with time_machine.travel(clock.now() + timedelta(minutes=31), tick=False):
        page = client.get(path)
        response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 410


def test_forged_links_and_floods_disclose_nothing(app, client, db_session):
    _held_person(app, db_session, "gabor4@example.com")
    page = client.get("/my-data/open/forged")
    response = client.post("/my-data/open/forged", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 410 and "Gábor" not in response.get_data(as_text=True)
    for _ in range(5):
        _ask(client, "gabor4@example.com")
    assert db_session.scalar(select(func.count(PortalLink.id))) == 3  # three links an hour per address


def test_a_signed_in_user_sees_their_own_data_without_a_link(client, login, make, db_session):
    user = make.user(email="peter@example.com", name="Péter Tóth")
    login(user)
    report = client.get("/my-data", headers=HTMX).get_data(as_text=True)
    assert "Péter Tóth" in report and 'id="mydata-report"' in report and "<html" not in report


def test_fragments_with_and_without_htmx(client, db_session):
    full, partial = client.get("/my-data"), client.get("/my-data", headers=HTMX)
    assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
    assert 'id="mydata-start"' in partial.get_data(as_text=True)


def test_the_report_also_lists_messages_calls_profile_and_the_security_log(app, client, login, make, db_session):
    from webapp.calls.models import CallLog
    from webapp.leads import services as leads
    from webapp.messaging import services as messaging
    from webapp.profiles.models import LeadProfile

    user = make.user(email="hanna@example.com", name="Hanna Fekete")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        lead = leads.upsert("hanna@example.com", "Hanna Fekete", "trial", phone="+36209998877")
        messaging.queue_sms("+36 20 999 8877", "Your workshop is tomorrow", purpose="reminder")
        messaging.queue_email("hanna@example.com", "Welcome aboard", "Hello")
    db_session.add(CallLog(lead_id=lead.id, direction="inbound", started_at=clock.now(), duration_seconds=95,
                           notes="Asked about imports"))
    db_session.add(LeadProfile(lead_id=lead.id, problem="Spreadsheets everywhere", updated_at=clock.now()))
    db_session.commit()
    login(user)
    from webapp.seclog import drain

    with app.app_context():
        drain.drain()  # the sign-in's entries from the Redis buffer into the log
    db_session.expire_all()
    report = client.get("/my-data").get_data(as_text=True)
    for expected in ("Welcome aboard", "Your workshop is tomorrow", "Asked about imports", "Spreadsheets everywhere",
                     "Security log entry", "login_ok"):
        assert expected in report, expected
