"""Erasure of a person everywhere: built through every channel, erased, then every text column of every
table and the export files are searched for the name, the address and the phone number."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select

from tests.conftest import csrf_from
from webapp import clock, tenancy
from webapp.activities.models import Note
from webapp.analytics.models import PageView
from webapp.billing import invoices, subscriptions
from webapp.billing.invoices import Customer
from webapp.calls import services as calls
from webapp.consent import cookies
from webapp.consent.models import ConsentDecision
from webapp.dsr import services as dsr
from webapp.dsr.models import DataRequest
from webapp.erasure import replay, services
from webapp.erasure.models import ErasureReceipt
from webapp.exports.models import ExportRecord
from webapp.exports.services import file_of
from webapp.extensions import db
from webapp.leads.models import Lead
from webapp.messaging.models import OutboxEmail
from webapp.messaging.services import queue_email, queue_sms
from webapp.mydata.sources import collect, person_for
from webapp.newsletter import services as newsletter
from webapp.retention import services as retention
from webapp.tenant_admin import invitations
from webapp.tenant_admin.models import Invitation
from webapp.tenants.models import Tenant
from webapp.transfers import services as transfers
from webapp.trials import services as trials
from webapp.workshops import services as workshops

STATEMENTS = {"adult_and_authorised": True, "no_special_categories": True, "no_id_numbers": True,
              "customer_data_via_ui": True, "consultants_via_invitation": True, "marketing_contact": True}
PASSWORD = "Szamarkoehegy-lantern-77"
ERIKA = {"name": "Erika Vandorfalvi", "email": "erika.vandorfalvi@example.com", "phone": "+36 30 555 7311",
         "needles": ("vandorfalvi", "erika.vandorfalvi@example.com", "305557311", "30 555 7311")}
BENCE = {"name": "Bence Kristofhegyi", "email": "bence@kristofhegyi.example", "phone": "+36 20 444 8812",
         "needles": ("kristofhegyi", "bence@kristofhegyi.example", "204448812", "20 444 8812")}


def _newsletter(person) -> None:
    newsletter.request_subscription(person["name"], person["email"], "footer")
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == person["email"])
                              .order_by(OutboxEmail.id.desc())).first()
    token = re.search(r"/confirm/(\S+)", mail.text_body).group(1)
    assert newsletter.confirm(token) is newsletter.Outcome.CONFIRMED


def _trial_account(person, company: str):
    assert trials.sign_up(person["name"], person["email"], person["phone"], company, STATEMENTS, "trial-page")
    row = db.session.scalars(select(Invitation).where(Invitation.email == person["email"])).one()
    user = invitations.accept(row, person["name"], PASSWORD)
    user.phone = re.sub(r"\s", "", person["phone"])
    db.session.flush()
    return user


def _visits(consent_id: str) -> None:
    now = clock.now()
    db.session.add(ConsentDecision(consent_id=consent_id, decided_at=now, expires_at=now + timedelta(days=180),
                                   method="banner", action="accept_all", gpc=False,
                                   categories={"analytics": True}, services=[]))
    db.session.add_all(PageView(viewed_at=now - timedelta(minutes=i), path=f"/page/{i}", device_type="desktop",
                                os_family="Linux", browser_family="Firefox", visitor_id=consent_id[:16],
                                consent_id=consent_id, is_new_visitor=i == 0) for i in range(3))
    db.session.flush()


def _export_file(user, person) -> ExportRecord:
    now = clock.now()
    with tenancy.scoped(user.tenant_id):
        record = ExportRecord(requested_by_id=user.id, entity="contacts", format="csv", filters={},
                              file_path=f"{user.tenant_id}/erasure-test-{user.id}.csv", token_hash="x" * 64,
                              created_at=now, expires_at=now + timedelta(hours=1))
        db.session.add(record)
        db.session.flush()
        path = file_of(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"name,email\n{person['name']},{person['email']}\n")
    return record


def _build(app, make, person, *, company: str, invoice: bool):
    """One person through every channel; returns (user, consent id, export file path)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        _newsletter(person)
        workshops.register(person["name"], person["email"], person["phone"], "Sales pipeline", "workshop-page")
        user = _trial_account(person, company)
        consent_id = cookies.new_consent_id()
        _visits(consent_id)
        queue_sms(person["phone"], "Your workshop is tomorrow at 10.", purpose="reminder")
        queue_email(person["email"], "Hello", f"Hello {person['name']}, see you soon.", user_id=user.id)
        lead = db.session.scalars(select(Lead).where(Lead.email == person["email"])).one()
        calls.log_call(lead, None, direction="inbound", started_at=clock.now(), duration_seconds=90,
                       notes=f"{person['name']} asked about prices; call back on {person['phone']}.")
        transfers.record(transfers.Disclosure(recipient="Tax office", recipient_kind="authority",
                                              legal_basis="legal_obligation", purpose="audit",
                                              data_description="contact data", subject_email=person["email"],
                                              subject_phone=person["phone"], subject_user_id=user.id))
        with tenancy.scoped(user.tenant_id):
            contact = make.contact(db.session.get(Tenant, user.tenant_id), first_name="Tamas", last_name="Ugyfel")
            db.session.add(Note(body="Offer sent, follow up next week.", contact_id=contact.id, author_id=user.id))
            db.session.flush()
        if invoice:
            tenant = db.session.get(Tenant, user.tenant_id)
            subscription = subscriptions.start(tenant, "team", 2, clock.now().date(), None)
            draft = invoices.for_month(subscription, clock.now().date().replace(day=1),
                                       Customer(name=person["name"], address="1111 Budapest, Fo utca 1.",
                                                company=company, email=person["email"]))
            invoices.issue(draft, None)
        export = _export_file(user, person)
        path = file_of(export)
    return user, consent_id, path


def _hits(db_session, needles) -> set[tuple[str, str]]:
    """(table, column) of every text or JSON column holding one of the needles (case-insensitive)."""
    if db_session.bind.dialect.name == "postgresql":
        db_session.connection().exec_driver_sql("SELECT set_config('app.all_tenants', 'on', true)")
    found = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            text_of = func.lower(cast(column, Text()))
            for needle in needles:
                statement = select(func.count()).select_from(table).where(text_of.contains(needle.lower()))
                if db_session.scalar(tenancy.all_tenants(statement)):
                    found.add((table.name, column.name))
    return found


def _files_holding(app, needles) -> list[str]:
    """Files under the export and import folders whose text holds one of the needles."""
    found = []
    for folder in ("exports", "imports"):
        for path in (Path(app.config["INSTANCE_PATH"]) / folder).rglob("*"):
            if path.is_file() and any(n in path.read_bytes().decode("utf-8", "replace").lower() for n in needles):
                found.append(str(path))
    return found


def _receipt_text(receipt: ErasureReceipt) -> str:
    return repr({c.name: getattr(receipt, c.name) for c in ErasureReceipt.__table__.columns}).lower()


def test_the_person_is_erased_everywhere_but_their_invoices(app, client, login, make, db_session, run_jobs, smtp):
    user, consent_id, export_path = _build(app, make, ERIKA, company="Zenit Kft.", invoice=True)
    tenant_id = user.tenant_id
    with app.test_request_context(headers={"Accept-Language": "en"}):
        request = dsr.log("erasure", ERIKA["email"], "email", "registered_address")
    db_session.commit()
    assert _hits(db_session, ERIKA["needles"]) >= {("leads", "email"), ("users", "name"), ("sms_messages", "to_number"),
                                                   ("invoices", "customer_email"), ("call_logs", "notes"),
                                                   ("leads", "phone"), ("transfers", "subject_phone")}
    assert export_path.exists()

    login(make.user(staff_role="privacy_officer"))
    page = client.get(f"/privacy/requests/{request.id}").get_data(as_text=True)
    assert f"/privacy/requests/{request.id}/erase" in page
    confirm = client.get(f"/privacy/requests/{request.id}/erase")
    token = csrf_from(confirm.get_data(as_text=True))
    unconfirmed = client.post(f"/privacy/requests/{request.id}/erase", data={"csrf_token": token})
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.get_data(as_text=True)
    assert db_session.scalars(select(Lead).where(Lead.email == ERIKA["email"])).one()
    response = client.post(f"/privacy/requests/{request.id}/erase", data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 303
    db_session.expire_all()
    # the consent id is not linked to an address: it comes from the person's browser (the portal)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        services.erase(ERIKA["email"], consent_ids=[consent_id], notify=False)
    db_session.commit()

    receipt = db_session.scalars(select(ErasureReceipt).where(ErasureReceipt.request_id == request.id)).one()
    assert receipt.outcome == "partial" and set(receipt.grounds) >= {"legal_obligation"}
    assert receipt.grounds["legal_obligation"]["tables"] == {"invoices": 1}
    closed = db_session.get(DataRequest, request.id)
    assert closed.state == "done" and "legal_obligation" in closed.outcome
    notice = db_session.get(OutboxEmail, receipt.notice_email_id)
    assert notice.to_address == ERIKA["email"] and "Invoices addressed to you (1)" in notice.text_body

    run_jobs()
    assert any(ERIKA["email"] in str(message) for message in smtp.received)
    assert services.scrub_sent_notices() == 1
    db_session.commit()
    assert _hits(db_session, ERIKA["needles"]) <= {("invoices", "customer_name"), ("invoices", "customer_email")}
    assert _hits(db_session, ERIKA["needles"]) == {("invoices", "customer_name"), ("invoices", "customer_email")}
    for needle in ERIKA["needles"]:
        assert needle not in _receipt_text(receipt)
    assert not export_path.exists() and _files_holding(app, ERIKA["needles"]) == []
    assert {item.category for item in collect(person_for(ERIKA["email"]))} == {"invoice_data"}
    assert db_session.get(Tenant, tenant_id).state == "subscribed"  # the company's data: its own clock
    assert db_session.scalars(select(ConsentDecision).where(ConsentDecision.consent_id == consent_id)).all() == []
    assert db_session.scalars(select(PageView).where(PageView.consent_id == consent_id)).all() == []


def test_a_person_without_invoices_leaves_nothing(app, make, db_session):
    user, consent_id, export_path = _build(app, make, BENCE, company="Delta Bt.", invoice=False)
    tenant_id = user.tenant_id
    with app.test_request_context(headers={"Accept-Language": "en"}):
        receipt = services.erase(BENCE["email"], consent_ids=[consent_id], notify=False)
    db_session.flush()
    assert receipt.counts["leads"] == 1 and receipt.counts["users"] == 1 and receipt.counts["sms_messages"] == 1
    assert receipt.counts["newsletter_subscriptions"] == 1 and receipt.counts["call_logs"] == 1
    assert "legal_obligation" not in receipt.grounds and receipt.outcome == "complete"
    assert _hits(db_session, BENCE["needles"]) == set()
    for needle in BENCE["needles"]:
        assert needle not in _receipt_text(receipt)
    assert not export_path.exists() and _files_holding(app, BENCE["needles"]) == []
    assert collect(person_for(BENCE["email"])) == []
    assert db_session.get(Tenant, tenant_id).state == "trial"
    with tenancy.scoped(tenant_id):
        assert db_session.scalars(select(Note.author_id)).all() == [None]


def test_replay_after_a_restore_erases_again(app, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        newsletter.request_subscription(BENCE["name"], BENCE["email"], "footer")
        first = services.erase(BENCE["email"], notify=False)
        assert first.counts["leads"] == 1
        # the restored backup brings the lead back
        db_session.add(Lead(name=BENCE["name"], email=BENCE["email"], phone="+36204448812", source="workshop",
                            last_interaction_at=clock.now()))
        db_session.flush()
        assert replay.to_replay() == [BENCE["email"]]
        [again] = replay.replay()
    assert again.kind == "replay" and again.counts["leads"] == 1
    assert _hits(db_session, BENCE["needles"]) == set()
    assert replay.to_replay() == []


def test_a_legal_hold_on_the_person_refuses_the_erasure(app, make, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        workshops.register(BENCE["name"], BENCE["email"], BENCE["phone"], None, "workshop-page")
        retention.add_hold(scope="person", reason="Court case 12/2026", created_by_id=None, email=BENCE["email"])
        receipt = services.erase(BENCE["email"])
        notice = db_session.get(OutboxEmail, receipt.notice_email_id)
    assert receipt.outcome == "refused" and receipt.counts == {}
    assert receipt.grounds["legal_claims"]["scope"] == "person"
    assert db_session.scalars(select(Lead).where(Lead.email == BENCE["email"])).one()
    assert "legal claim" in notice.text_body


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_confirmation_page_with_and_without_htmx(client, login, make, db_session, app, headers):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        request = dsr.log("erasure", "someone@example.com", "email", "registered_address")
        other = dsr.log("access", "someone@example.com", "email", "registered_address")
    db_session.commit()
    login(make.user(staff_role="privacy_officer"))
    page = client.get(f"/privacy/requests/{request.id}/erase", headers=headers)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Erase now" in body and ("<html" in body) == (not headers)
    assert client.get(f"/privacy/requests/{other.id}/erase", headers=headers).status_code == 404


def test_a_record_hold_keeps_that_row_and_the_lead_it_hangs_on(app, db_session):
    from webapp.workshops.models import BookingRequest

    with app.test_request_context(headers={"Accept-Language": "en"}):
        request = workshops.register(BENCE["name"], BENCE["email"], BENCE["phone"], None, "workshop-page")
        queue_sms(BENCE["phone"], "See you.", purpose="reminder")
        retention.add_hold(scope="record", reason="Dispute", created_by_id=None, table_name="workshop_requests",
                           record_id=request.id)
        receipt = services.erase(BENCE["email"], notify=False)
    assert receipt.outcome == "partial" and receipt.grounds["legal_claims"] == {"scope": "record",
                                                                               "tables": {"leads": 1}}
    assert db_session.get(BookingRequest, request.id) is not None
    assert receipt.counts["sms_messages"] == 1 and "leads" not in receipt.counts


def test_flask_erasure_replay_command(app, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        services.erase(BENCE["email"], notify=False)
        db_session.add(Lead(name=BENCE["name"], email=BENCE["email"], source="newsletter",
                            last_interaction_at=clock.now()))
        db_session.flush()
    result = app.test_cli_runner().invoke(args=["erasure", "replay"])
    assert result.exit_code == 0 and "replayed 1 erasure(s)" in result.output
    assert db_session.scalars(select(Lead).where(Lead.email == BENCE["email"])).all() == []


def test_security_log_entries_stay_under_their_ground_and_the_chain_verifies(app, make, db_session):
    from webapp.seclog import chain
    from webapp.seclog.services import make_entry

    user = make.user(email=BENCE["email"], name=BENCE["name"])
    with db_session.begin_nested():
        chain.append([make_entry("login_ok", user_id=user.id, detail={"method": "password"})])
    with app.test_request_context(headers={"Accept-Language": "en"}):
        receipt = services.erase(BENCE["email"])
        notice = db_session.get(OutboxEmail, receipt.notice_email_id)
    assert receipt.outcome == "complete" and receipt.counts["users"] == 1
    assert receipt.grounds["security_log_integrity"]["tables"] == {"security_log": 1}
    assert receipt.grounds["security_log_integrity"]["until"] > clock.now().date().isoformat()
    assert "security log" in notice.text_body and chain.verify().ok


def test_a_closed_request_is_not_erased_again(app, client, login, make, db_session):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        request = dsr.log("erasure", BENCE["email"], "email", "registered_address")
        dsr.close(request, "refused", "Identity not confirmed.", None)
        workshops.register(BENCE["name"], BENCE["email"], BENCE["phone"], None, "workshop-page")
    db_session.commit()
    login(make.user(staff_role="privacy_officer"))
    token = csrf_from(client.get(f"/privacy/requests/{request.id}").get_data(as_text=True))
    response = client.post(f"/privacy/requests/{request.id}/erase", data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 303 and db_session.scalars(select(ErasureReceipt)).all() == []
    assert db_session.scalars(select(Lead).where(Lead.email == BENCE["email"])).one()
