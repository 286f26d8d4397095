"""Messages and privacy: each hand-over to a provider is in the transfer log, and a contact stop is
checked at send time for every channel (sign-in codes excepted)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp import clock
from webapp.leads.models import Lead
from webapp.messaging import services
from webapp.messaging.models import OutboxEmail, SmsMessage
from webapp.transfers.models import Transfer

pytestmark = pytest.mark.usefixtures("clean_queues")


def _stopped_lead(db_session, email="stop@example.com", phone="+36301234567"):
    lead = Lead(name="Stop Person", email=email, phone=phone, source="workshop", last_interaction_at=clock.now(),
                contact_stopped_at=clock.now())
    db_session.add(lead)
    db_session.flush()
    return lead


def test_an_sms_handed_to_the_provider_is_logged_once(db_session, run_jobs, run_periodic, sms_provider):
    sms = services.queue_sms("+36 30 765 4321", "Your workshop is tomorrow at 10:00.", purpose="reminder")
    db_session.commit()
    run_jobs()
    run_jobs()
    [entry] = db_session.scalars(select(Transfer)).all()
    assert (entry.recipient, entry.subject_phone, entry.reference, entry.purpose) == (
        "Opennetworks Kft.", "+36307654321", f"sms:{sms.id}", "sms:reminder")


def test_the_embedded_outbox_is_no_transfer(db_session, run_jobs):
    services.queue_sms("+36 30 765 4321", "Hello", purpose="reminder")
    db_session.commit()
    run_jobs()
    assert db_session.scalars(select(Transfer)).all() == []


def test_a_contact_stop_holds_back_sms_but_not_sign_in_codes(db_session, run_jobs, sms_provider):
    _stopped_lead(db_session)
    reminder = services.queue_sms("+36 30 123 4567", "Workshop reminder", purpose="reminder")
    code = services.queue_sms("+36 30 123 4567", "Your code: 123456", purpose="2fa")
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert db_session.get(SmsMessage, reminder.id).state == "failed"
    assert "contact stop" in db_session.get(SmsMessage, reminder.id).last_error
    assert db_session.get(SmsMessage, code.id).state == "sent"
    assert [call.payload["text"] for call in sms_provider.calls] == ["Your code: 123456"]


def test_a_contact_stop_holds_back_marketing_mail_and_mail_sent_is_logged(db_session, run_jobs, smtp):
    _stopped_lead(db_session)
    headers = {"List-Unsubscribe": "<https://bizalom.example/u/1>"}
    held = services.queue_email("stop@example.com", "News", "Text", category="marketing", headers=headers)
    sent = services.queue_email("other@example.com", "News", "Text", category="marketing", headers=headers)
    receipt = services.queue_email("stop@example.com", "Your request", "We received it.")
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    states = {mail.id: mail.state for mail in db_session.scalars(select(OutboxEmail))}
    assert (states[held.id], states[sent.id], states[receipt.id]) == ("failed", "sent", "sent")
    assert sorted(item.message["To"] for item in smtp.received) == ["other@example.com", "stop@example.com"]
    logged = {(row.subject_email, row.purpose) for row in db_session.scalars(select(Transfer))}
    assert logged == {("other@example.com", "email:marketing"), ("stop@example.com", "email:transactional")}
