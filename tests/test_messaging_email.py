"""E-mail outbox: a row in the business transaction, relayed through a real (local) SMTP server."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rq import Queue

from tests.fakes.smtp import free_port
from webapp.jobs.models import Task
from webapp.messaging import services
from webapp.messaging.models import OutboxEmail

pytestmark = pytest.mark.usefixtures("clean_queues")

RESET_TEXT = "Hello Ágnes,\n\nopen this link to choose a new password: https://bizalom.example/reset/abc\n"


def _queue(**fields) -> OutboxEmail:
    fields.setdefault("to", "agnes@example.com")
    fields.setdefault("subject", "Új jelszó beállítása")
    fields.setdefault("text", RESET_TEXT)
    return services.queue_email(fields.pop("to"), fields.pop("subject"), fields.pop("text"), **fields)


def _later(**delta) -> time_machine.travel:
    return time_machine.travel(datetime.now(UTC) + timedelta(**delta))


def test_queued_mail_is_a_row_and_a_task_dispatched_after_commit(db_session, redis_conn, smtp):
    email = _queue()
    task = db_session.query(Task).filter_by(name="workers.messaging.relay_email").one()
    assert (email.state, email.attempts, task.queue, json.loads(task.args)) == ("pending", 0, "messages", [email.id])
    assert task.id not in Queue("messages", connection=redis_conn).get_job_ids()
    db_session.commit()
    assert task.id in Queue("messages", connection=redis_conn).get_job_ids()


def test_relay_sends_through_smtp_and_marks_the_mail_sent(db_session, run_jobs, smtp):
    email = _queue(html="<p>Hello Ágnes</p>")
    db_session.commit()
    assert run_jobs() == 1
    db_session.expire_all()
    assert (email.state, email.transport, email.attempts, email.last_error) == ("sent", "smtp", 1, None)
    assert email.sent_at is not None and email.message_id.startswith("<") and "@bizalom.example>" in email.message_id
    [received] = smtp.received
    assert received.mail_from == "no-reply@bizalom.example" and received.rcpt_tos == ["agnes@example.com"]
    message = received.message
    assert message["Subject"] == "Új jelszó beállítása" and message["Message-ID"] == email.message_id
    assert message["From"] == "Bizalom <no-reply@bizalom.example>" and message["Date"]
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == RESET_TEXT
    assert "Hello Ágnes" in message.get_body(("html",)).get_content()
    assert smtp.logins == ["relay-user"]


def test_without_smtp_host_mail_stays_in_the_local_outbox(db_session, run_jobs, messaging_config, _smtp_server):
    messaging_config(SMTP_HOST=None)
    email = _queue()
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert (email.state, email.transport) == ("sent", "outbox") and email.sent_at is not None
    assert _smtp_server.received == []


def test_marketing_mail_passes_unsubscribe_headers_through(db_session, run_jobs, smtp):
    headers = {"List-Unsubscribe": "<https://bizalom.example/u/9f2>, <mailto:unsubscribe@bizalom.example>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    _queue(category="marketing", headers=headers, subject="Workshop in Szeged")
    db_session.commit()
    run_jobs()
    message = smtp.received[0].message
    assert message["List-Unsubscribe"].strip() == headers["List-Unsubscribe"]  # folded: long line
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize(("fields", "error", "says"), [
    ({"subject": "Hi\r\nBcc: victim@example.com"}, services.HeaderInjection, "line break"),
    ({"subject": "Hi\nthere"}, services.HeaderInjection, "header injection"),
    ({"to": "agnes@example.com\r\nBcc: victim@example.com"}, services.HeaderInjection, "recipient"),
    ({"headers": {"X-Campaign": "spring\r\nBcc: victim@example.com"}}, services.HeaderInjection, "X-Campaign"),
    ({"headers": {"Bcc": "victim@example.com"}}, services.InvalidHeader, "set by the mail relay"),
    ({"headers": {"X Bad": "1"}}, services.InvalidHeader, "header name"),
    ({"to": "not-an-address"}, services.InvalidEmailAddress, "not a valid e-mail address"),
    ({"to": "agnes@localhost"}, services.InvalidEmailAddress, "not a valid e-mail address"),
    ({"subject": "   "}, services.InvalidHeader, "subject is empty"),
    ({"text": ""}, services.InvalidMessage, "plain-text part"),
    ({"category": "newsletter"}, services.InvalidMessage, "category"),
    ({"category": "marketing"}, services.InvalidHeader, "needs a List-Unsubscribe"),
    ({"headers": {"List-Unsubscribe": "https://no-brackets.example"}}, services.InvalidHeader, "List-Unsubscribe"),
    ({"headers": {"List-Unsubscribe": "<mailto:u@bizalom.example>",
                  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}, services.InvalidHeader, "https"),
])
def test_bad_input_is_refused_clearly_and_stores_nothing(db_session, fields, error, says):
    with pytest.raises(error, match=says) as raised:
        _queue(**fields)
    assert isinstance(raised.value, ValueError)
    assert db_session.query(OutboxEmail).count() == 0
    assert db_session.query(Task).filter_by(name="workers.messaging.relay_email").count() == 0


def test_mail_survives_redis_being_down_and_the_periodic_relay_sends_it(db_session, redis_conn, redis_down,
                                                                      run_periodic, smtp):
    with redis_down:
        email = _queue()
        db_session.commit()
    task = db_session.query(Task).filter_by(name="workers.messaging.relay_email").one()
    assert task.id not in Queue("messages", connection=redis_conn).get_job_ids()
    db_session.expire_all()
    assert db_session.get(OutboxEmail, email.id).state == "pending"
    assert run_periodic("relay_pending_email") == "sent 1"
    assert email.state == "sent" and len(smtp.received) == 1


def test_smtp_down_retries_with_exponential_backoff(db_session, run_jobs, run_periodic, smtp_down):
    email = _queue()
    db_session.commit()
    started = datetime.now(UTC)
    run_jobs()
    db_session.expire_all()
    assert (email.state, email.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in email.last_error
    assert timedelta(seconds=59) < email.next_attempt_at - started < timedelta(seconds=65)
    assert run_periodic("relay_pending_email") == "nothing due"
    with _later(seconds=61):
        assert run_periodic("relay_pending_email") == "pending 1"
        assert email.attempts == 2
        assert timedelta(seconds=119) < email.next_attempt_at - email.last_attempt_at < timedelta(seconds=121)


def test_mail_waiting_for_smtp_is_sent_once_the_server_is_back(db_session, run_jobs, run_periodic, messaging_config,
                                                               smtp):
    messaging_config(SMTP_PORT=free_port())
    email = _queue()
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert email.state == "pending" and smtp.received == []
    messaging_config(SMTP_PORT=smtp.port)
    with _later(minutes=2):
        assert run_periodic("relay_pending_email") == "sent 1"
    assert email.state == "sent" and email.attempts == 2 and len(smtp.received) == 1


def test_refused_recipient_fails_without_retry(db_session, run_jobs, run_periodic, smtp):
    smtp.refuse["gone@example.com"] = "550 5.1.1 No such user"
    email = _queue(to="gone@example.com")
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert (email.state, email.attempts, email.next_attempt_at) == ("failed", 1, None)
    assert "550" in email.last_error
    with _later(hours=1):
        assert run_periodic("relay_pending_email") == "nothing due"


def test_temporary_smtp_refusal_is_retried(db_session, run_jobs, run_periodic, smtp):
    smtp.data_reply = "451 4.3.0 Try again later"
    email = _queue()
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert email.state == "pending" and "451" in email.last_error
    smtp.data_reply = None
    with _later(minutes=1, seconds=5):
        assert run_periodic("relay_pending_email") == "sent 1"
    assert len(smtp.received) == 1


def test_starttls_required_but_not_offered_sends_nothing_in_clear(db_session, run_jobs, messaging_config, smtp):
    messaging_config(SMTP_STARTTLS="true")
    email = _queue()
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert email.state == "pending" and "STARTTLS" in email.last_error
    assert smtp.received == []


def test_gives_up_after_the_last_attempt(db_session, run_jobs, smtp_down):
    from webapp.messaging.delivery import EMAIL_POLICY

    email = _queue()
    email.attempts = EMAIL_POLICY.max_attempts - 1
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert (email.state, email.attempts, email.next_attempt_at) == ("failed", EMAIL_POLICY.max_attempts, None)


def test_a_claim_left_by_a_dead_worker_is_retried_once_stale(db_session, run_periodic, smtp):
    email = _queue()
    email.state, email.attempts, email.last_attempt_at = "sending", 1, datetime.now(UTC)
    db_session.commit()
    assert run_periodic("relay_pending_email") == "nothing due"
    with _later(minutes=11):
        assert run_periodic("relay_pending_email") == "sent 1"
    assert email.attempts == 2 and smtp.received[0].message["Message-ID"] == email.message_id


def test_wrong_smtp_password_is_retried_not_dropped(db_session, run_jobs, messaging_config, smtp):
    messaging_config(SMTP_PASSWORD="wrong")
    email = _queue()
    db_session.commit()
    run_jobs()
    db_session.expire_all()
    assert (email.state, email.attempts) == ("pending", 1) and "535" in email.last_error
    assert smtp.received == []


def test_lazily_translated_text_is_accepted(app, db_session):
    from flask_babel import lazy_gettext

    with app.test_request_context(headers={"Accept-Language": "en"}):
        email = _queue(subject=lazy_gettext("Log in"), text=lazy_gettext("Log in"))
    assert (email.subject, email.text_body) == ("Log in", "Log in")


@pytest.mark.parametrize("func", ["relay_email", "relay_pending_email", "send_sms", "relay_pending_sms",
                                  "purge_sms_bodies"])
def test_job_functions_are_importable_for_the_schedule(func):
    from workers.context import import_job

    assert callable(import_job(f"workers.messaging.{func}"))


def test_the_sweep_writes_no_task_row(db_session, run_periodic, smtp):
    before = db_session.query(Task).count()
    assert run_periodic("relay_pending_email") == "nothing due"
    assert db_session.query(Task).count() == before
