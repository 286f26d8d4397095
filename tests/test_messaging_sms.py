"""SMS: E.164 numbers, routing by country, exactly-once delivery through a fake HTTP provider."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rq import Queue

from webapp.jobs.models import Task
from webapp.messaging import delivery, services
from webapp.messaging.models import SmsMessage

pytestmark = pytest.mark.usefixtures("clean_queues")

CODE_TEXT = "Your Bizalom login code: 482913"


def _queue(to: str = "+36 30 123 4567", body: str = CODE_TEXT, purpose: str = "login_code") -> SmsMessage:
    return services.queue_sms(to, body, purpose=purpose)


def _send(db_session, run_jobs, **fields) -> SmsMessage:
    sms = _queue(**fields)
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    return sms


def _later(**delta) -> time_machine.travel:
    return time_machine.travel(datetime.now(UTC) + timedelta(**delta))


@pytest.mark.parametrize(("given", "e164", "route"), [
    ("+36 30 123 4567", "+36301234567", "domestic"),
    ("06 30 123 4567", "+36301234567", "domestic"),
    ("+36-70-555-0123", "+36705550123", "domestic"),
    ("+49 1512 3456789", "+4915123456789", "international"),
    ("+1 202 555 0143", "+12025550143", "international"),
])
def test_numbers_are_stored_in_e164_and_routed_by_country(db_session, redis_conn, given, e164, route):
    sms = _queue(to=given)
    task = db_session.query(Task).filter_by(name="workers.messaging.send_sms").one()
    assert (sms.to_number, sms.route, sms.state, task.queue) == (e164, route, "pending", "messages")
    assert json.loads(task.args) == [sms.id] and len(sms.idempotency_key) == 32
    assert task.id not in Queue("messages", connection=redis_conn).get_job_ids()
    db_session.commit()
    assert task.id in Queue("messages", connection=redis_conn).get_job_ids()


@pytest.mark.parametrize(("given", "says"), [
    ("not a number", "not a phone number"),
    ("+36 30 123", "not valid for its country"),
    ("+36 30 123 45678 9", "not valid for its country"),
    ("+36 1 234 5678", "landline"),
    ("+999 123", "not"),
    ("", "not a phone number"),
    ("1" * 60, "at most 40"),
])
def test_malformed_numbers_are_refused_and_nothing_is_stored(db_session, given, says):
    with pytest.raises(services.InvalidPhoneNumber, match=says) as raised:
        _queue(to=given)
    assert isinstance(raised.value, ValueError)
    assert db_session.query(SmsMessage).count() == 0 and db_session.query(Task).count() == 0


@pytest.mark.parametrize(("fields", "says"), [
    ({"body": "  "}, "empty"),
    ({"body": "x" * 1601}, "longer"),
    ({"purpose": "Login Code!"}, "purpose"),
])
def test_bad_text_or_purpose_is_refused(db_session, fields, says):
    with pytest.raises(services.InvalidMessage, match=says):
        _queue(**fields)
    assert db_session.query(SmsMessage).count() == 0


def test_domestic_number_goes_to_the_domestic_provider_with_the_idempotency_key(db_session, run_jobs, sms_provider):
    sms = _send(db_session, run_jobs)
    [call] = sms_provider.calls
    assert call.path == "/domestic" and call.headers["idempotency-key"] == sms.idempotency_key
    assert call.headers["authorization"] == "Bearer provider-secret"
    assert call.payload == {"to": "+36301234567", "text": CODE_TEXT, "reference": sms.idempotency_key}
    assert (sms.state, sms.provider, sms.provider_message_id, sms.attempts) == ("sent", "domestic", "prov-1", 1)
    assert sms.sent_at is not None and sms.last_error is None


def test_foreign_number_goes_to_the_international_provider(db_session, run_jobs, sms_provider):
    sms = _send(db_session, run_jobs, to="+49 1512 3456789")
    assert [call.path for call in sms_provider.calls] == ["/international"]
    assert (sms.state, sms.provider) == ("sent", "international")


def test_without_provider_urls_the_outbox_adapter_records_it_as_delivered(db_session, run_jobs, messaging_config,
                                                                          _sms_provider):
    messaging_config(SMS_DOMESTIC_URL=None, SMS_INTERNATIONAL_URL="")
    sms = _send(db_session, run_jobs)
    assert (sms.state, sms.provider) == ("delivered", "outbox") and sms.delivered_at is not None
    assert _sms_provider.calls == []


def test_provider_5xx_is_retried_with_exponential_backoff(db_session, run_jobs, run_periodic, sms_provider):
    sms_provider.script.extend([503, 502])
    sms = _send(db_session, run_jobs)
    assert (sms.state, sms.attempts) == ("pending", 1) and "HTTP 503" in sms.last_error
    assert timedelta(seconds=29) < sms.next_attempt_at - sms.last_attempt_at < timedelta(seconds=31)
    with _later(seconds=20):
        assert run_periodic("relay_pending_sms") == "nothing due"
    with _later(seconds=31):
        assert run_periodic("relay_pending_sms") == "pending 1"
        assert sms.attempts == 2 and "HTTP 502" in sms.last_error
        assert timedelta(seconds=59) < sms.next_attempt_at - sms.last_attempt_at < timedelta(seconds=61)
    with _later(seconds=95):
        assert run_periodic("relay_pending_sms") == "sent 1"
    assert len(sms_provider.sent) == 1 and len(sms_provider.calls) == 3


def test_provider_4xx_fails_without_retry(db_session, run_jobs, run_periodic, sms_provider):
    sms_provider.script.append(400)
    sms = _send(db_session, run_jobs)
    assert (sms.state, sms.attempts, sms.next_attempt_at) == ("failed", 1, None)
    assert "HTTP 400" in sms.last_error and "scripted 400" in sms.last_error
    with _later(hours=1):
        assert run_periodic("relay_pending_sms") == "nothing due"
    assert len(sms_provider.calls) == 1 and sms_provider.sent == {}


def test_wrong_provider_token_is_a_clear_permanent_failure(db_session, run_jobs, messaging_config, sms_provider):
    messaging_config(SMS_DOMESTIC_TOKEN="wrong")
    sms = _send(db_session, run_jobs)
    assert sms.state == "failed" and "HTTP 401" in sms.last_error


def test_timeout_after_the_provider_accepted_does_not_send_twice(db_session, run_jobs, run_periodic, sms_provider):
    sms_provider.script.append("slow")
    sms = _send(db_session, run_jobs)
    assert sms.state == "pending" and "unreachable" in sms.last_error and "timed out" in sms.last_error
    with _later(seconds=31):
        assert run_periodic("relay_pending_sms") == "sent 1"
    assert len(sms_provider.calls) == 2 and len(sms_provider.sent) == 1
    assert sms.provider_message_id == sms_provider.sent[sms.idempotency_key]["id"]


def test_worker_crash_after_the_provider_call_does_not_duplicate(db_session, run_jobs, run_periodic, sms_provider,
                                                                monkeypatch):
    def _worker_dies(*_args):
        raise RuntimeError("worker killed after the provider call")

    with monkeypatch.context() as patch:
        patch.setattr(delivery, "record_sms_result", _worker_dies)
        sms = _send(db_session, run_jobs)
    assert (sms.state, sms.attempts) == ("sending", 1), "the attempt was on record before the call"
    assert len(sms_provider.sent) == 1
    assert run_periodic("relay_pending_sms") == "nothing due", "a fresh claim is left alone"
    with _later(minutes=3):
        assert run_periodic("relay_pending_sms") == "sent 1"
    assert (sms.state, sms.attempts) == ("sent", 2)
    assert len(sms_provider.calls) == 2 and len(sms_provider.sent) == 1


def test_gives_up_after_the_last_attempt(db_session, run_jobs, sms_provider):
    sms_provider.script.append(500)
    sms = _queue()
    sms.attempts = delivery.SMS_POLICY.max_attempts - 1
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert (sms.state, sms.attempts, sms.next_attempt_at) == ("failed", delivery.SMS_POLICY.max_attempts, None)


def test_sms_survives_redis_being_down_and_the_periodic_relay_sends_it(db_session, redis_conn, redis_down,
                                                                      run_periodic, sms_provider):
    with redis_down:
        sms = _queue()
        db_session.commit()
    task = db_session.query(Task).filter_by(name="workers.messaging.send_sms").one()
    assert task.id not in Queue("messages", connection=redis_conn).get_job_ids()
    assert run_periodic("relay_pending_sms") == "sent 1"
    assert sms.state == "sent" and len(sms_provider.sent) == 1


def test_a_delivery_report_during_the_attempt_is_kept(db_session, sms_provider):
    sms = _queue()
    db_session.commit()
    claimed = delivery.claim(SmsMessage, sms.id, delivery.SMS_POLICY)
    services.record_delivery_status(claimed, "delivered")
    db_session.commit()
    receipt = delivery.sms_providers.Receipt(provider="domestic", message_id="prov-9", delivered=False)
    assert delivery.record_sms_result(claimed, receipt) == "delivered"
    assert claimed.provider_message_id == "prov-9"


def test_purge_blanks_old_bodies_and_keeps_the_metadata(db_session, messaging_config):
    now = datetime.now(UTC)
    old, recent = _queue(), _queue(to="+36 70 555 0123")
    old.created_at, old.state = now - timedelta(days=31), "delivered"
    recent.created_at = now - timedelta(days=29)
    db_session.commit()
    assert services.purge_sms_bodies() == 1
    db_session.commit()
    assert (old.body, old.to_number, old.purpose, old.state) == ("", "+36301234567", "login_code", "delivered")
    assert old.body_purged_at is not None and recent.body == CODE_TEXT
    assert services.purge_sms_bodies() == 0, "purging twice changes nothing"
    messaging_config(SMS_BODY_RETENTION_DAYS="7")
    assert services.purge_sms_bodies(as_of=now + timedelta(days=30)) == 1
    assert recent.body == ""


def test_purge_job_runs_on_a_worker(db_session, run_jobs):
    from webapp.jobs.services import enqueue

    sms = _queue()
    sms.created_at = datetime.now(UTC) - timedelta(days=40)
    task = enqueue("workers.messaging.purge_sms_bodies", queue_name="maintenance")
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert db_session.get(Task, task.id).result == "purged 1" and sms.body == ""
