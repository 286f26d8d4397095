"""SMS in batches: one claim, pooled keep-alive calls, per-message outcomes; bad input refused whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from webapp.jobs.models import Task
from webapp.messaging import batch, services
from webapp.messaging.models import SmsMessage

pytestmark = pytest.mark.usefixtures("clean_queues")


def _numbers(count: int) -> list[tuple[str, str]]:
    return [(f"+36 30 {1_000_000 + index:07d}" if index % 3 else f"+49 1512 {3_000_000 + index:07d}",
             f"Code {index:06d}") for index in range(count)]


def test_bulk_sms_go_out_in_batch_jobs_each_sent_once(db_session, run_jobs, sms_provider):
    rows = services.queue_sms_bulk(_numbers(25), purpose="login_code", batch_size=10)
    tasks = db_session.query(Task).filter_by(name="workers.messaging.send_sms_batch").all()
    assert len(tasks) == 3 and len(rows) == 25
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert {row.state for row in rows} == {"sent"} and {row.attempts for row in rows} == {1}
    assert len(sms_provider.calls) == 25 and set(sms_provider.sent) == {row.idempotency_key for row in rows}
    paths = {call.payload["reference"]: call.path for call in sms_provider.calls}
    assert all(paths[row.idempotency_key] == f"/{row.route}" for row in rows)
    assert all(row.provider_message_id and row.sent_at for row in rows)


def test_one_malformed_number_refuses_the_whole_bulk_and_stores_nothing(db_session):
    with pytest.raises(services.InvalidPhoneNumber):
        services.queue_sms_bulk([*_numbers(3), ("+36 1 234", "x")], purpose="login_code")
    assert db_session.query(SmsMessage).count() == 0
    assert db_session.query(Task).count() == 0


def test_provider_errors_in_a_batch_hit_only_their_messages(db_session, sms_provider, messaging_config):
    messaging_config(SMS_TIMEOUT=0.5)
    rows = services.queue_sms_bulk(_numbers(4), purpose="login_code")
    db_session.commit()
    sms_provider.script.extend([503, 400, "slow"])  # answers to the first three calls, in call order
    batch.CONCURRENCY, saved = 1, batch.CONCURRENCY  # one call at a time: the script meets the rows in order
    try:
        outcomes = batch.deliver_sms_batch(rows[0].id, rows[-1].id)
    finally:
        batch.CONCURRENCY = saved
    db_session.commit()
    db_session.expire_all()
    assert outcomes == {"pending": 2, "failed": 1, "sent": 1}
    first, second, third, fourth = rows
    assert first.state == "pending" and "HTTP 503" in first.last_error and first.next_attempt_at
    assert second.state == "failed" and "HTTP 400" in second.last_error
    assert third.state == "pending" and "unreachable" in third.last_error
    assert fourth.state == "sent"
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=40)):
        outcomes = batch.deliver_sms_batch(rows[0].id, rows[-1].id)
        db_session.commit()
    assert outcomes == {"sent": 2}
    assert len(sms_provider.sent) == 3, "the timed-out message was accepted once, the 400 never"


def test_a_batch_job_finds_nothing_left_to_claim(db_session, sms_provider):
    rows = services.queue_sms_bulk(_numbers(2), purpose="login_code")
    db_session.commit()
    assert batch.deliver_sms_batch(rows[0].id, rows[-1].id) == {"sent": 2}
    db_session.commit()
    assert batch.deliver_sms_batch(rows[0].id, rows[-1].id) == {"skipped": 1}
    assert len(sms_provider.calls) == 2


def test_unreachable_provider_keeps_every_message_for_a_retry(db_session, messaging_config):
    from tests.fakes.smtp import free_port

    url = f"http://127.0.0.1:{free_port()}/sms"
    messaging_config(SMS_DOMESTIC_URL=url, SMS_INTERNATIONAL_URL=url, SMS_TIMEOUT=1)
    rows = services.queue_sms_bulk(_numbers(3), purpose="login_code")
    db_session.commit()
    assert batch.deliver_sms_batch(rows[0].id, rows[-1].id) == {"pending": 3}
    db_session.commit()
    assert all("unreachable" in row.last_error for row in rows)
