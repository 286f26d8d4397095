"""Password reset, e-mail change, re-authentication, unlock by admins and staff."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pyotp
import time_machine
from sqlalchemy import select

from webapp.accounts import lockout, passwords
from webapp.accounts.models import User
from webapp.messaging.models import OutboxEmail

NEW_PASSWORD = "Hortobagy-crane-lantern-58"


def _mails(db_session, to):
    return db_session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == to).order_by(OutboxEmail.id)).all()


def _reset_link(db_session, email) -> str:
    body = _mails(db_session, email)[-1].text_body
    return re.search(r"http://[^/]+(/password/reset/\S+)", body).group(1)


def test_forgot_password_does_not_reveal_accounts(client, csrf, make, db_session):
    user = make.user()
    known = client.post("/password/forgot", data={"email": user.email, "csrf_token": csrf("/password/forgot")})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com",
                                                    "csrf_token": csrf("/password/forgot")})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(_mails(db_session, user.email)) == 1 and _mails(db_session, "nobody@example.com") == []


def test_reset_link_works_once_and_ends_every_session(app, client, csrf, make, db_session, login):
    user = make.user()
    login(user)
    client.post("/password/forgot", data={"email": user.email, "csrf_token": csrf("/password/forgot")})
    link = _reset_link(db_session, user.email)
    anonymous = app.test_client()
    response = anonymous.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                          "csrf_token": _csrf_of(anonymous, link)})
    assert response.status_code == 303
    db_session.expire_all()
    assert passwords.verify_password(db_session.get(User, user.id).password_hash, NEW_PASSWORD)
    assert "Welcome back" not in client.get("/").get_data(as_text=True), "old sessions ended"
    assert anonymous.get(link).status_code == 410


def _csrf_of(test_client, path) -> str:
    from tests.conftest import csrf_from

    return csrf_from(test_client.get(path).get_data(as_text=True))


def test_reset_link_expires_after_thirty_minutes(client, csrf, make, db_session):
    user = make.user()
    client.post("/password/forgot", data={"email": user.email, "csrf_token": csrf("/password/forgot")})
    link = _reset_link(db_session, user.email)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=31)):
        assert client.get(link).status_code == 410


def test_weak_new_password_is_refused_and_nothing_changes(client, csrf, make, db_session):
    user = make.user()
    client.post("/password/forgot", data={"email": user.email, "csrf_token": csrf("/password/forgot")})
    link = _reset_link(db_session, user.email)
    response = client.post(link, data={"password": "password1234", "confirm": "password1234",
                                       "csrf_token": csrf(link)})
    assert response.status_code == 422 and "too easy to guess" in response.get_data(as_text=True)
    db_session.expire_all()
    assert passwords.verify_password(db_session.get(User, user.id).password_hash, make.PASSWORD)
    assert client.get(link).status_code == 200, "a refused attempt does not use up the link"


def test_reset_never_bypasses_the_second_factor(app, client, csrf, make, db_session):
    from webapp.twofactor import totp

    user = make.user()
    with app.test_request_context():
        secret = totp.begin_enrolment(user.id)
        totp.verify(user.id, pyotp.TOTP(secret).now(), confirming=True)
    client.post("/password/forgot", data={"email": user.email, "csrf_token": csrf("/password/forgot")})
    link = _reset_link(db_session, user.email)
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf(link)})
    response = client.post("/login", data={"email": user.email, "password": NEW_PASSWORD, "csrf_token": csrf()})
    assert response.headers["Location"] == "/login/verify"


def test_strength_feedback_fragment(client, csrf, make, login):
    login(make.user(name="Zsófia Várkonyi"))
    weak = client.post("/password/strength", data={"password": "zsofiavarkonyi"},
                       headers={"HX-Request": "true", "X-CSRFToken": csrf("/")})
    html = weak.get_data(as_text=True)
    assert html.startswith('<div id="password-strength"') and "name, e-mail address or company" in html
    strong = client.post("/password/strength", data={"password": NEW_PASSWORD},
                         headers={"HX-Request": "true", "X-CSRFToken": csrf("/")})
    assert "Strong enough." in strong.get_data(as_text=True)


def test_email_change_needs_recent_authentication(client, csrf, make, login):
    login(make.user())
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=6)):
        response = client.get("/account/email")
        assert response.status_code == 303 and response.headers["Location"].startswith("/account/reauth")


def test_email_change_is_confirmed_from_the_new_address(client, csrf, make, login, db_session):
    user = make.user()
    login(user)
    response = client.post("/account/email", data={"email": "New.Address@Example.com",
                                                   "csrf_token": csrf("/account/email")})
    assert response.status_code == 303
    assert "being changed" in _mails(db_session, user.email)[-1].subject
    link = re.search(r"http://[^/]+(/account/email/confirm/\S+)", _mails(db_session, "new.address@example.com")[-1]
                     .text_body).group(1)
    assert client.get(link).status_code == 303
    db_session.expire_all()
    assert db_session.get(User, user.id).email == "new.address@example.com"
    assert client.get(link).status_code == 410


def test_email_change_refuses_header_injection(client, csrf, make, login, db_session):
    user = make.user()
    login(user)
    response = client.post("/account/email", data={"email": "x@example.com\r\nBcc: all@example.com",
                                                   "csrf_token": csrf("/account/email")})
    assert response.status_code == 422
    assert _mails(db_session, user.email) == []


def test_tenant_admin_unlocks_a_user_of_their_tenant(app, client, csrf, make, login, db_session):
    tenant = make.tenant()
    admin, member = make.user(tenant=tenant, role="admin"), make.user(tenant=tenant)
    with app.test_request_context():
        for _ in range(5):
            lockout.register_failure(member.id, "192.0.2.1")
        assert lockout.account_locked(member.id)
    login(admin)
    assert "Unlock" in client.get("/settings/users").get_data(as_text=True)
    client.post(f"/settings/users/{member.id}/unlock", data={"csrf_token": csrf("/settings/users")})
    with app.test_request_context():
        assert not lockout.account_locked(member.id)


def test_tenant_admin_cannot_touch_another_tenants_user(app, client, csrf, make, login):
    admin = make.user(tenant=make.tenant(), role="admin")
    stranger = make.user(tenant=make.tenant())
    with app.test_request_context():
        for _ in range(5):
            lockout.register_failure(stranger.id, "192.0.2.1")
    login(admin)
    response = client.post(f"/settings/users/{stranger.id}/unlock", data={"csrf_token": csrf("/settings/users")})
    assert response.status_code == 404
    with app.test_request_context():
        assert lockout.account_locked(stranger.id)


def test_support_staff_unlock_by_email(app, client, csrf, make, login, db_session):
    staff, user = make.user(staff_role="support"), make.user()
    with app.test_request_context():
        for _ in range(5):
            lockout.register_failure(user.id, "192.0.2.1")
    login(staff)
    page = client.get(f"/staff/accounts?email={user.email}").get_data(as_text=True)
    assert "Locked until" in page
    from webapp.seclog import drain
    from webapp.seclog.models import SecurityEvent

    drain.drain()
    viewed = db_session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "personal_data_viewed",
                                                            SecurityEvent.user_id == staff.id)).all()
    assert [(v.user_id, json.loads(v.detail)["subject_user_id"]) for v in viewed] == [(staff.id, user.id)]
    client.post(f"/staff/accounts/{user.id}/unlock", data={"csrf_token": csrf("/staff/accounts")})
    with app.test_request_context():
        assert not lockout.account_locked(user.id)


def test_require_2fa_toggle_by_tenant_admin(client, csrf, make, login, db_session):
    tenant = make.tenant()
    login(make.user(tenant=tenant, role="admin"))
    client.post("/settings/security", data={"require_2fa": "1", "csrf_token": csrf("/settings/users")})
    db_session.expire_all()
    assert db_session.get(type(tenant), tenant.id).require_2fa is True
