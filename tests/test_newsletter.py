"""Newsletter: double opt-in with evidence, one-click unsubscribe, campaigns honour the contact stop."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from tests.conftest import csrf_from
from webapp import clock
from webapp.leads.models import Lead
from webapp.legalbasis import services as ledger
from webapp.messaging.models import OutboxEmail
from webapp.newsletter import campaigns, services
from webapp.newsletter.models import NewsletterSubscription, SignupEvidence
from webapp.notices.models import NoticeVersion

HTMX = {"HX-Request": "true"}


def _publish_notice(db_session, number=1):
    version = NoticeVersion(number=number, state="published", body_de="x", body_en="x", body_hu="x",
                            changed_categories=[], published_at=clock.now(), text_hash=f"{number:064x}")
    db_session.add(version)
    db_session.flush()
    return version


def _signup(client, name="Anna Kovács", email="anna@example.com", **extra):
    token = csrf_from(client.get("/newsletter").get_data(as_text=True))
    data = {"name": name, "email": email, "adult": "y", "agree": "y", "website": "", "csrf_token": token, **extra}
    return client.post("/newsletter", data=data)


def _link(db_session, kind="confirm"):
    mail = db_session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    return re.search(rf"http://localhost(/newsletter/{kind}/[^\s]+)", mail.text_body).group(1)


def _count(db_session, model):
    return db_session.scalar(select(func.count()).select_from(model))


def test_signup_stores_a_pending_request_with_evidence_and_mails_a_link(client, db_session):
    _publish_notice(db_session, 3)
    response = _signup(client, email="Anna@Example.com")
    assert response.status_code == 303 and response.headers["Location"].endswith("/newsletter/check-your-inbox")
    lead = db_session.scalars(select(Lead)).one()
    subscription = db_session.scalars(select(NewsletterSubscription)).one()
    evidence = db_session.scalars(select(SignupEvidence)).one()
    assert (lead.email, lead.source, subscription.state) == ("anna@example.com", "newsletter", "pending")
    assert (evidence.step, evidence.notice_version, evidence.notice_hash, evidence.form, evidence.locale) == (
        "requested", 3, f"{3:064x}", "site:newsletter", "en")
    assert set(SignupEvidence.__table__.columns.keys()) == {"id", "lead_id", "channel", "step", "at", "notice_version",
                                                             "notice_hash", "form", "locale"}  # no IP, no user agent
    mail = db_session.scalars(select(OutboxEmail)).one()
    assert mail.to_address == "anna@example.com" and "/newsletter/confirm/" in mail.text_body


def test_a_repeated_signup_creates_nothing_twice_and_sends_no_second_mail(client, db_session):
    _signup(client)
    second = _signup(client, name="Anna K.")
    assert second.status_code == 303
    assert [_count(db_session, m) for m in (Lead, NewsletterSubscription, OutboxEmail)] == [1, 1, 1]


def test_confirming_takes_a_button_press_and_records_consent(client, db_session):
    _publish_notice(db_session)
    _signup(client)
    path = _link(db_session)
    page = client.get(path)
    assert page.status_code == 200 and db_session.scalars(select(NewsletterSubscription)).one().state == "pending"
    with time_machine.travel(clock.now() + timedelta(hours=47), tick=False):
        page = client.get(path)
        response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
        confirmed_at = clock.now()
        again = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 200 and "You are subscribed" in response.get_data(as_text=True)
    subscription = db_session.scalars(select(NewsletterSubscription)).one()
    db_session.refresh(subscription)
    assert subscription.state == "confirmed" and subscription.confirm_token_hash is None
    steps = db_session.scalars(select(SignupEvidence.step).order_by(SignupEvidence.id)).all()
    assert steps == ["requested", "confirmed"]
    assert ledger.in_force(subscription.lead_id, "newsletter", at=confirmed_at).basis == "consent"
    assert db_session.get(Lead, subscription.lead_id).last_interaction_at == confirmed_at
    # the link works once
    assert again.status_code == 404 and _count(db_session, SignupEvidence) == 2


def test_an_expired_link_is_refused_and_changes_nothing(client, db_session):
    _signup(client)
    path = _link(db_session)
    with time_machine.travel(clock.now() + timedelta(hours=49), tick=False):
        page = client.get(path)
        assert page.status_code == 200  # the page still offers the button; confirming says why it fails
        response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert db_session.scalars(select(NewsletterSubscription.state)).one() == "pending"


def test_bad_signups_are_explained_and_store_nothing(client, db_session):
    good = {"name": "Anna", "email": "anna@example.com", "adult": "y", "agree": "y", "website": ""}
    cases = [({"name": "Anna\r\nBcc: all@example.com"}, "Line breaks"),
             ({"email": "anna@example.com\r\nBcc: x@example.com"}, "Line breaks"),
             ({"adult": None}, "only for adults"), ({"agree": None}, "Please tick the box"),
             ({"website": "http://spam.example"}, "Please leave this field empty."),
             ({"email": "not-an-address"}, "valid e-mail address")]
    for change, message in cases:
        data = {k: v for k, v in (good | change).items() if v is not None}
        data["csrf_token"] = csrf_from(client.get("/newsletter").get_data(as_text=True))
        response = client.post("/newsletter", data=data)
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert [_count(db_session, m) for m in (Lead, NewsletterSubscription, SignupEvidence, OutboxEmail)] == [0, 0, 0, 0]


def test_age_confirmation_is_required(client, db_session):
    token = csrf_from(client.get("/newsletter").get_data(as_text=True))
    response = client.post("/newsletter", data={"name": "Anna", "email": "anna@example.com", "agree": "y",
                                                "csrf_token": token})
    assert response.status_code == 422 and "only for adults" in response.get_data(as_text=True)
    assert _count(db_session, Lead) == 0


def _confirmed(app, db_session, email, stopped=False):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        subscription = services.request_subscription("Test Person", email, form="test")
        token_row = subscription.confirm_token_hash
    subscription.state, subscription.confirmed_at = "confirmed", clock.now()
    subscription.confirm_token_hash = None
    if stopped:
        subscription.lead.contact_stopped_at = clock.now()
    db_session.flush()
    assert token_row
    return subscription


def test_one_click_unsubscribe_needs_no_login_and_no_csrf_token(client, db_session):
    subscription = _confirmed(client.application, db_session, "bela@example.com")
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        ledger.set_basis(subscription.lead_id, "newsletter", "consent", "double_opt_in")
        token = services.unsubscribe_token(subscription.id)
    db_session.commit()
    response = client.post(f"/newsletter/unsubscribe/{token}", data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    db_session.refresh(subscription)
    assert subscription.state == "unsubscribed"
    forms = db_session.scalars(select(SignupEvidence.form).where(SignupEvidence.step == "unsubscribed")).all()
    assert forms == ["one-click"]
    assert ledger.in_force(subscription.lead_id, "newsletter") is None
    assert client.post(f"/newsletter/unsubscribe/{subscription.id}.forged", data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded").status_code == 404


def test_a_forged_unsubscribe_link_changes_nothing(client, db_session):
    subscription = _confirmed(client.application, db_session, "cecil@example.com")
    db_session.commit()
    for token in (f"{subscription.id}.{'0' * 40}", "x.y", "", f"{subscription.id + 1}.abc"):
        assert client.post(f"/newsletter/unsubscribe/{token}").status_code in (404, 405)
    db_session.refresh(subscription)
    assert subscription.state == "confirmed"


def test_a_campaign_reaches_confirmed_subscribers_without_a_contact_stop(app, client, login, make, db_session,
                                                                       run_jobs):
    reached = _confirmed(app, db_session, "dora@example.com")
    _confirmed(app, db_session, "stopped@example.com", stopped=True)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        services.request_subscription("Pending Person", "pending@example.com", form="test")
    db_session.commit()
    login(make.user(staff_role="sales"))
    token = csrf_from(client.get("/staff/newsletter").get_data(as_text=True))
    response = client.post("/staff/newsletter", data={"subject": "November news", "body": "Hello!",
                                                      "csrf_token": token})
    assert response.status_code == 303
    db_session.commit()
    run_jobs()
    mails = db_session.scalars(select(OutboxEmail).where(OutboxEmail.category == "marketing")).all()
    assert [mail.to_address for mail in mails] == ["dora@example.com"]
    headers = json.loads(mails[0].headers)
    unsubscribe = headers["List-Unsubscribe"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.startswith("<https://") and f"/newsletter/unsubscribe/{reached.id}." in unsubscribe
    path = re.search(r"https://[^/]+(/newsletter/unsubscribe/\S+)>", unsubscribe).group(1)
    assert path in mails[0].text_body.replace("http://", "https://") or path in mails[0].text_body
    client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    db_session.refresh(reached)
    assert reached.state == "unsubscribed"


def test_a_finished_campaign_sends_nothing_twice(app, db_session):
    _confirmed(app, db_session, "eva@example.com")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        campaign = campaigns.create("Hello", "Text", "http://localhost/", None)
        assert campaigns.send(campaign) == 1
        assert campaigns.send(campaign) == 0
    assert db_session.scalar(select(func.count()).where(OutboxEmail.category == "marketing")) == 1


def test_fragments_with_and_without_htmx(client, login, make, db_session):
    for path, marker in (("/newsletter", 'id="newsletter-signup"'),):
        full, partial = client.get(path), client.get(path, headers=HTMX)
        assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
        assert marker in partial.get_data(as_text=True)
    login(make.user(staff_role="operator"))
    full, partial = client.get("/staff/newsletter"), client.get("/staff/newsletter", headers=HTMX)
    assert "<html" in full.get_data(as_text=True) and 'id="newsletter-staff"' in partial.get_data(as_text=True)
    assert "<html" not in partial.get_data(as_text=True) and "HX-Request" in partial.headers["Vary"]


def test_clicks_count_as_interactions_only_with_their_own_consent(app, client, db_session):
    from webapp.leads.models import Lead as LeadModel

    counted = _confirmed(app, db_session, "clicks@example.com")
    counted.click_tracking = True
    plain = _confirmed(app, db_session, "noclicks@example.com")
    long_ago = clock.now() - timedelta(days=100)
    for subscription in (counted, plain):
        subscription.lead.last_interaction_at = long_ago
    db_session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        campaign = campaigns.create("Tips", "Read https://bizalom.example/tips?a=1 today.", "http://localhost", None)
        campaigns.send(campaign)
    bodies = {mail.to_address: mail.text_body for mail in db_session.scalars(
        select(OutboxEmail).where(OutboxEmail.category == "marketing"))}
    assert "https://bizalom.example/tips?a=1 today" in bodies["noclicks@example.com"]
    link = re.search(r"http://localhost(/newsletter/c/\S+)", bodies["clicks@example.com"]).group(1)
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"] == "https://bizalom.example/tips?a=1"
    lead = db_session.scalars(select(LeadModel).where(LeadModel.email == "clicks@example.com")).one()
    db_session.refresh(lead)
    assert lead.last_interaction_at > long_ago
    assert client.get("/newsletter/c/forged").status_code == 404
