"""The development outbox page and the SMS delivery-report callback."""

from __future__ import annotations

import pytest

from webapp.messaging import services
from webapp.messaging.models import SmsMessage

pytestmark = pytest.mark.usefixtures("clean_queues")

TOKEN = "callback-secret-0123456789"


@pytest.fixture()
def sent_sms(db_session, messaging_config):
    messaging_config(SMS_CALLBACK_TOKEN=TOKEN)
    sms = services.queue_sms("+36 30 123 4567", "Your code: 123456", purpose="login_code")
    sms.state, sms.provider, sms.provider_message_id = "sent", "domestic", "prov-77"
    db_session.commit()
    return sms


def _report(client, token: str | None = TOKEN, **payload):
    headers = {"X-Callback-Token": token} if token else {}
    return client.post("/messaging/sms/status", json=payload, headers=headers)


def _state(db_session, sms: SmsMessage) -> SmsMessage:
    db_session.expire_all()
    return db_session.get(SmsMessage, sms.id)


def test_outbox_lists_mail_and_sms_for_operator_staff(db_session, client, login, make):
    services.queue_email("agnes@example.com", "Új jelszó", "Reset link: https://bizalom.example/r/1")
    services.queue_sms("+36 30 123 4567", "Your code: 654321", purpose="login_code")
    login(make.user(staff_role="operator"))
    page = client.get("/messaging/outbox")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "agnes@example.com" in html and "Új jelszó" in html and "https://bizalom.example/r/1" in html
    assert "+36301234567" in html and "Your code: 654321" in html


def test_outbox_fragment_for_htmx(db_session, client, login, make):
    login(make.user(staff_role="operator"))
    fragment = client.get("/messaging/outbox", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="outbox"' in fragment


def test_outbox_hides_purged_sms_text(db_session, client, login, make):
    sms = services.queue_sms("+36 30 123 4567", "Your code: 111222", purpose="login_code")
    sms.body, sms.body_purged_at = "", sms.created_at
    login(make.user(staff_role="operator"))
    html = client.get("/messaging/outbox").get_data(as_text=True)
    assert "111222" not in html and "retention period" in html


@pytest.mark.parametrize("who", ["tenant_user", "support", "developer"])
def test_outbox_is_forbidden_to_others(db_session, client, login, make, who):
    user = make.user() if who == "tenant_user" else make.user(staff_role=who)
    login(user)
    assert client.get("/messaging/outbox").status_code == 403


def test_outbox_needs_login(db_session, client):
    response = client.get("/messaging/outbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_outbox_does_not_exist_in_production(db_session, client, login, make, messaging_config):
    login(make.user(staff_role="operator"))
    messaging_config(PRODUCTION=True)
    assert client.get("/messaging/outbox").status_code == 404


def test_delivery_report_marks_the_sms_delivered(db_session, client, sent_sms):
    response = _report(client, reference=sent_sms.idempotency_key, status="delivered")
    assert response.status_code == 200 and response.get_json() == {"state": "delivered"}
    sms = _state(db_session, sent_sms)
    assert sms.state == "delivered" and sms.delivered_at is not None


def test_delivery_report_by_provider_id_with_the_token_in_the_url(db_session, client, sent_sms):
    response = client.post(f"/messaging/sms/status?token={TOKEN}", json={"message_id": "prov-77",
                                                                        "status": "undelivered",
                                                                        "error": "absent subscriber"})
    assert response.status_code == 200
    sms = _state(db_session, sent_sms)
    assert sms.state == "failed" and sms.last_error == "provider reported: absent subscriber"


def test_delivered_stays_delivered(db_session, client, sent_sms):
    _report(client, reference=sent_sms.idempotency_key, status="delivered")
    late = _report(client, reference=sent_sms.idempotency_key, status="failed")
    assert late.get_json() == {"state": "delivered"} and _state(db_session, sent_sms).state == "delivered"


@pytest.mark.parametrize(("token", "payload", "status"), [
    ("wrong-token", {"status": "delivered"}, 403),
    (None, {"status": "delivered"}, 403),
    (TOKEN, {"reference": "no-such-key", "status": "delivered"}, 404),
    (TOKEN, {"status": "delivered"}, 404),
    (TOKEN, {"message_id": "prov-77"}, 400),
    (TOKEN, {"message_id": "prov-77", "status": "teleported"}, 400),
])
def test_bad_delivery_reports_are_refused_and_change_nothing(db_session, client, sent_sms, token, payload, status):
    assert _report(client, token=token, **payload).status_code == status
    assert _state(db_session, sent_sms).state == "sent"


def test_delivery_report_that_is_not_json_is_refused(db_session, client, sent_sms):
    response = client.post("/messaging/sms/status", data="status=delivered",
                           headers={"X-Callback-Token": TOKEN, "Content-Type": "text/plain"})
    assert response.status_code == 400


def test_delivery_reports_are_off_without_a_shared_secret(db_session, client, messaging_config):
    messaging_config(SMS_CALLBACK_TOKEN=None)
    assert _report(client, token="anything", status="delivered").status_code == 404


def test_outbox_escapes_what_it_shows(db_session, client, login, make):
    services.queue_email("agnes@example.com", "<script>alert(1)</script>", "<img src=x onerror=alert(2)>",
                         html="<script>alert(3)</script>")
    login(make.user(staff_role="operator"))
    html = client.get("/messaging/outbox").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html and "alert(3)" not in html
