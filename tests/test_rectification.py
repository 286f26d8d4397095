"""Rectification: every earlier recipient in the transfer log is told what was corrected."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_from
from webapp.dsr import services as dsr
from webapp.dsr.models import DataRequest
from webapp.messaging.models import OutboxEmail
from webapp.site.seed import seed_all
from webapp.transfers import services as transfers
from webapp.transfers.models import Transfer

EN = {"Accept-Language": "en"}


def _sent(recipient, email="rita@example.com", reference=None):
    transfers.record(transfers.Disclosure(recipient=recipient, recipient_kind="processor", legal_basis="contract",
                                          purpose="sms", data_description="phone, text", subject_email=email,
                                          reference=reference))


def test_earlier_recipients_are_told_and_the_notice_is_logged(app, client, login, make, db_session):
    with app.test_request_context(headers=EN):
        seed_all()  # the registry: Opennetworks Kft. has an e-mail address
        _sent("Opennetworks Kft.", reference="sms:1")
        _sent("Opennetworks Kft.", reference="sms:2")
        _sent("A partner without address")
        _sent("Opennetworks Kft.", email="someone.else@example.com", reference="sms:3")
        request = dsr.log("rectification", "rita@example.com", "letter", "registered_address",
                          details="My surname is Kiss, not Kis")
    db_session.commit()
    login(make.user(staff_role="privacy_officer"))
    token = csrf_from(client.get(f"/privacy/requests/{request.id}").get_data(as_text=True))
    empty = client.post(f"/privacy/requests/{request.id}/rectification", data={"corrected": " ", "csrf_token": token})
    assert empty.status_code == 303
    assert db_session.scalars(select(OutboxEmail).where(OutboxEmail.subject.contains("Correction"))).all() == []
    client.post(f"/privacy/requests/{request.id}/rectification",
                data={"corrected": "surname Kis → Kiss", "csrf_token": token})
    [notice] = db_session.scalars(select(OutboxEmail).where(OutboxEmail.subject.contains("Correction"))).all()
    assert notice.to_address == "info@opennet.hu" and "surname Kis → Kiss" in notice.text_body
    assert "rita@example.com" not in notice.text_body  # the reference, not the person's address
    logged = db_session.scalars(select(Transfer).where(Transfer.purpose == "rectification_notice")).all()
    assert [(row.recipient, row.subject_email) for row in logged] == [("Opennetworks Kft.", "rita@example.com")]
    [event] = [e for e in db_session.get(DataRequest, request.id).events if e.action == "recipients_notified"]
    assert "A partner without address" in event.note and "Opennetworks Kft." in event.note
