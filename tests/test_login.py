"""Sign-in: lockout by account and by IP with growing cool-off, no account enumeration."""

from __future__ import annotations

import re
import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from webapp.accounts import lockout
from webapp.messaging.models import OutboxEmail

WRONG = "definitely-not-the-password"


def _post_login(client, csrf, email, password, ip="203.0.113.7"):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf()},
                       environ_base={"REMOTE_ADDR": ip})


def _masked(response, typed_email: str) -> str:
    """The body without the per-request CSRF token and the address the visitor typed (echoed back)."""
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "CSRF", response.get_data(as_text=True))
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", body)
    return body.replace(typed_email, "TYPED")


def test_correct_password_signs_in_with_303(client, csrf, make):
    user = make.user()
    response = _post_login(client, csrf, user.email, make.PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Welcome back" in client.get("/").get_data(as_text=True)


def test_email_is_case_insensitive(client, csrf, make):
    make.user(email="mixed.case@example.com")
    assert _post_login(client, csrf, "  Mixed.Case@Example.COM ", make.PASSWORD).status_code == 303


def test_account_locks_after_five_failures_and_unlocks_after_cool_off(client, csrf, make, db_session):
    user = make.user()
    start = datetime.now(UTC)
    with time_machine.travel(start) as traveller:
        for _ in range(5):
            assert _post_login(client, csrf, user.email, WRONG).status_code == 422
        assert lockout.account_locked(user.id)
        locked = _post_login(client, csrf, user.email, make.PASSWORD)
        assert locked.status_code == 422, "the right password does not open a locked account"
        traveller.shift(timedelta(minutes=16))
        assert _post_login(client, csrf, user.email, make.PASSWORD).status_code == 303


def test_cool_off_grows_with_each_lock(app, db_session, make):
    user = make.user()
    with app.test_request_context(), time_machine.travel(datetime.now(UTC)) as traveller:
        lengths = []
        for _ in range(3):
            for _ in range(5):
                lockout.register_failure(user.id, "198.51.100.1")
            lengths.append(lockout.locked_until(user.id) - datetime.now(UTC))
            traveller.shift(lengths[-1] + timedelta(seconds=1))
        assert [round(x.total_seconds() / 60) for x in lengths] == [15, 30, 60]


def test_failures_outside_the_window_do_not_add_up(app, db_session, make):
    user = make.user()
    with app.test_request_context(), time_machine.travel(datetime.now(UTC)) as traveller:
        for _ in range(4):
            lockout.register_failure(user.id, "198.51.100.2")
        traveller.shift(timedelta(minutes=16))
        lockout.register_failure(user.id, "198.51.100.2")
        assert not lockout.account_locked(user.id)


def test_lock_emails_the_user(client, csrf, make, db_session):
    user = make.user()
    for _ in range(5):
        _post_login(client, csrf, user.email, WRONG)
    mails = db_session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == user.email)).all()
    assert len(mails) == 1 and "locked" in mails[0].subject


def test_ip_is_throttled_after_twenty_failures_and_released_later(client, csrf, make):
    users = [make.user() for _ in range(7)]
    start = datetime.now(UTC)
    with time_machine.travel(start) as traveller:
        for i in range(20):
            _post_login(client, csrf, users[i % 7].email, WRONG, ip="192.0.2.50")
        good = make.user()
        throttled = _post_login(client, csrf, good.email, make.PASSWORD, ip="192.0.2.50")
        assert throttled.status_code == 429
        assert _post_login(client, csrf, good.email, make.PASSWORD, ip="192.0.2.51").status_code == 303
        client.post("/logout", data={"csrf_token": csrf("/")})
        traveller.shift(timedelta(minutes=16))
        assert _post_login(client, csrf, good.email, make.PASSWORD, ip="192.0.2.50").status_code == 303


def test_unknown_wrong_and_locked_look_the_same(client, csrf, make):
    known, locked = make.user(), make.user()
    for _ in range(5):
        _post_login(client, csrf, locked.email, WRONG, ip="192.0.2.10")
    emails = ["nobody@example.com", known.email, locked.email]
    answers = [_post_login(client, csrf, email, WRONG, ip=f"192.0.2.{20 + i}") for i, email in enumerate(emails)]
    assert {a.status_code for a in answers} == {422}
    assert len({_masked(answer, email) for answer, email in zip(answers, emails, strict=True)}) == 1


@pytest.mark.slow
def test_unknown_wrong_and_locked_take_the_same_time(client, csrf, make):
    known, locked = make.user(), make.user()
    for _ in range(5):
        _post_login(client, csrf, locked.email, WRONG, ip="192.0.2.99")
    kinds = {"unknown": "nobody@example.com", "wrong": known.email, "locked": locked.email}
    timings = {label: [] for label in kinds}
    for i in range(50):  # interleaved, so machine noise hits all three alike
        for n, (label, email) in enumerate(kinds.items()):
            token = csrf()
            started = time.perf_counter()
            client.post("/login", data={"email": email, "password": WRONG, "csrf_token": token},
                        environ_base={"REMOTE_ADDR": f"10.{n}.{i}.1"})
            timings[label].append(time.perf_counter() - started)
    medians = {label: statistics.median(values) for label, values in timings.items()}
    spread = max(medians.values()) - min(medians.values())
    assert spread < 0.020, medians


@pytest.mark.parametrize("password", ["x" * 1_000_000, "jel\x00szó", "\u202eevil\u202c" * 50, "🔐" * 500])
def test_hostile_passwords_get_a_clear_answer(client, csrf, make, password):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": password, "csrf_token": csrf()})
    assert response.status_code in (413, 422)
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["a@example.com\r\nBcc: victim@example.com", "x" * 300 + "@example.com",
                                   "anna@example.com\x00"])
def test_hostile_emails_are_refused(client, csrf, email):
    response = client.post("/login", data={"email": email, "password": WRONG, "csrf_token": csrf()})
    assert response.status_code == 422


def test_login_without_csrf_token_is_refused(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": make.PASSWORD})
    assert response.status_code == 400
    assert "Welcome back" not in client.get("/").get_data(as_text=True)


def test_open_redirect_after_login_is_refused(client, csrf, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf(),
                                           "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
