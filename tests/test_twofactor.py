"""Second factors: TOTP without replay, recovery codes once, SMS codes, trusted devices."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import time_machine
from sqlalchemy import select

from webapp.messaging.models import SmsMessage
from webapp.twofactor import recovery, totp
from webapp.twofactor.models import TotpCredential, TrustedDevice


def _enrol_totp(app, user) -> str:
    with app.test_request_context():
        secret = totp.begin_enrolment(user.id)
        assert totp.verify(user.id, pyotp.TOTP(secret).now(), confirming=True)
    return secret


def _password_step(client, csrf, user, password):
    return client.post("/login", data={"email": user.email, "password": password, "csrf_token": csrf()})


def test_secret_is_encrypted_at_rest(app, db_session, make):
    user = make.user()
    secret = _enrol_totp(app, user)
    stored = db_session.scalar(select(TotpCredential).where(TotpCredential.user_id == user.id))
    assert secret.encode() not in stored.secret_encrypted and len(stored.secret_encrypted) > 50


def test_new_device_is_challenged_then_signed_in(app, client, csrf, make):
    user = make.user()
    secret = _enrol_totp(app, user)
    response = _password_step(client, csrf, user, make.PASSWORD)
    assert response.headers["Location"] == "/login/verify"
    assert "Welcome back" not in client.get("/").get_data(as_text=True), "not signed in before the second factor"
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31)):  # the enrolment burnt this step
        code = pyotp.TOTP(secret).now()
        done = client.post("/login/verify", data={"code": code, "csrf_token": csrf("/login/verify")})
        assert done.status_code == 303
        assert "Welcome back" in client.get("/").get_data(as_text=True)


def test_totp_code_cannot_be_replayed(app, db_session, make):
    user = make.user()
    secret = _enrol_totp(app, user)
    later = datetime.now(UTC) + timedelta(seconds=60)
    with app.test_request_context(), time_machine.travel(later, tick=False):
        code = pyotp.TOTP(secret).now()
        assert totp.verify(user.id, code)
        assert not totp.verify(user.id, code), "the same time step is burnt"


def test_wrong_and_malformed_codes_are_refused(app, db_session, make):
    user = make.user()
    _enrol_totp(app, user)
    with app.test_request_context():
        for code in ("000000", "12345", "abcdef", "1" * 40, ""):
            assert not totp.verify(user.id, code)


def test_recovery_code_works_once(app, client, csrf, make):
    user = make.user()
    _enrol_totp(app, user)
    with app.test_request_context():
        codes = recovery.generate(user.id)
    assert len(codes) == 10 and len(set(codes)) == 10
    _password_step(client, csrf, user, make.PASSWORD)
    first = client.post("/login/verify", data={"code": codes[3].lower(), "csrf_token": csrf("/login/verify")})
    assert first.status_code == 303
    client.post("/logout", data={"csrf_token": csrf("/")})
    _password_step(client, csrf, user, make.PASSWORD)
    again = client.post("/login/verify", data={"code": codes[3], "csrf_token": csrf("/login/verify")})
    assert again.status_code == 422 and "only once" in again.get_data(as_text=True)


def test_trusted_device_skips_the_challenge_and_can_be_revoked(app, client, csrf, make, db_session):
    user = make.user()
    secret = _enrol_totp(app, user)
    _password_step(client, csrf, user, make.PASSWORD)
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31)):
        client.post("/login/verify", data={"code": pyotp.TOTP(secret).now(), "trust_device": "y",
                                           "csrf_token": csrf("/login/verify")})
        assert client.get_cookie("trusted_device").http_only
        client.post("/logout", data={"csrf_token": csrf("/")})
        assert _password_step(client, csrf, user, make.PASSWORD).headers["Location"] == "/", "no challenge"
        device = db_session.scalar(select(TrustedDevice).where(TrustedDevice.user_id == user.id))
        client.post(f"/account/devices/{device.id}/revoke", data={"csrf_token": csrf("/account/security")})
        client.post("/logout", data={"csrf_token": csrf("/")})
        assert _password_step(client, csrf, user, make.PASSWORD).headers["Location"] == "/login/verify"


def test_trust_cookie_of_another_user_does_not_help(app, client, csrf, make):
    alice, bob = make.user(), make.user()
    alice_secret, _ = _enrol_totp(app, alice), _enrol_totp(app, bob)
    _password_step(client, csrf, alice, make.PASSWORD)
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31)):
        client.post("/login/verify", data={"code": pyotp.TOTP(alice_secret).now(), "trust_device": "y",
                                           "csrf_token": csrf("/login/verify")})
    client.post("/logout", data={"csrf_token": csrf("/")})
    assert _password_step(client, csrf, bob, make.PASSWORD).headers["Location"] == "/login/verify"


def test_trusted_device_expires_after_thirty_days(app, client, csrf, make):
    user = make.user()
    secret = _enrol_totp(app, user)
    _password_step(client, csrf, user, make.PASSWORD)
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31)):
        client.post("/login/verify", data={"code": pyotp.TOTP(secret).now(), "trust_device": "y",
                                           "csrf_token": csrf("/login/verify")})
    client.post("/logout", data={"csrf_token": csrf("/")})
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        client.set_cookie("trusted_device", client.get_cookie("trusted_device").value)
        assert _password_step(client, csrf, user, make.PASSWORD).headers["Location"] == "/login/verify"


def test_sms_code_is_sent_through_the_queue_and_works_once(app, client, csrf, make, db_session):
    user = make.user(phone="+36201234567")
    _password_step(client, csrf, user, make.PASSWORD)
    client.post("/login/verify/sms", data={"csrf_token": csrf("/login/verify")})
    message = db_session.scalar(select(SmsMessage).where(SmsMessage.user_id == user.id))
    assert message is not None and message.to_number == "+36201234567"
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    assert client.post("/login/verify", data={"code": code, "csrf_token": csrf("/login/verify")}).status_code == 303
    client.post("/logout", data={"csrf_token": csrf("/")})
    _password_step(client, csrf, user, make.PASSWORD)
    assert client.post("/login/verify", data={"code": code, "csrf_token": csrf("/login/verify")}).status_code == 422


def test_sms_code_expires_after_five_minutes(app, client, csrf, make, db_session):
    user = make.user(phone="+36201234568")
    _password_step(client, csrf, user, make.PASSWORD)
    client.post("/login/verify/sms", data={"csrf_token": csrf("/login/verify")})
    body = db_session.scalar(select(SmsMessage.body).where(SmsMessage.user_id == user.id))
    code = re.search(r"\b(\d{6})\b", body).group(1)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=4, seconds=50)):
        _password_step(client, csrf, user, make.PASSWORD)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5, seconds=10)):
        late = client.post("/login/verify", data={"code": code, "csrf_token": csrf("/login/verify")})
    assert late.status_code == 422


def test_sms_codes_are_rate_limited(app, client, csrf, make, db_session):
    user = make.user(phone="+36201234569")
    _password_step(client, csrf, user, make.PASSWORD)
    start = datetime.now(UTC)
    for i in range(5):
        with time_machine.travel(start + timedelta(seconds=40 * i)):
            client.post("/login/verify/sms", data={"csrf_token": csrf("/login/verify")})
    sent = db_session.scalars(select(SmsMessage).where(SmsMessage.user_id == user.id)).all()
    assert len(sent) == 3


def test_enrolment_page_shows_an_inline_svg_qr_code(app, client, make, login):
    user = make.user()
    login(user)
    html = client.get("/account/2fa/setup").get_data(as_text=True)
    assert "<svg" in html and "<img" not in html
    assert re.search(r'<code class="secret">[A-Z2-7]{32}</code>', html)


def test_tenant_can_require_a_second_factor(app, client, csrf, make, login):
    tenant = make.tenant(require_2fa=True)
    user = make.user(tenant=tenant)
    login(user)
    assert client.get("/account/security").headers["Location"].startswith("/account/2fa/setup")
    html = client.get("/account/2fa/setup").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]{32})</code>', html).group(1)
    codes_page = client.post("/account/2fa/confirm", data={"code": pyotp.TOTP(secret).now(),
                                                           "csrf_token": csrf("/account/2fa/setup")})
    assert codes_page.status_code == 200 and len(re.findall(r"<li><code>", codes_page.get_data(as_text=True))) == 10
    assert client.get("/account/security").status_code == 200
