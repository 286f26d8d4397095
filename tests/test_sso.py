"""Single sign-on against a real local OpenID provider: sign-in, linking, unlinking, no takeover."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from tests.test_twofactor import _enrol_totp
from webapp.accounts.models import User, UserSession
from webapp.sso.models import SsoIdentity


def _identity(db_session, user, subject, provider="oidc") -> SsoIdentity:
    row = SsoIdentity(user_id=user.id, provider=provider, subject=subject)
    db_session.add(row)
    db_session.flush()
    return row


def _sso_login(client, oidc, path="/sso/oidc/login"):
    start = client.get(path)
    assert start.status_code == 302, start.get_data(as_text=True)[:300]
    return client.get(oidc.authorize(start.headers["Location"]))


def _signed_in(client) -> bool:
    return "Welcome back" in client.get("/").get_data(as_text=True)


def _start_link(client, csrf):
    return client.post("/account/sso/oidc/link", data={"csrf_token": csrf("/account/security")})


def _link(client, csrf, oidc):
    started = _start_link(client, csrf)
    assert started.status_code == 200, started.headers.get("Location")
    url = started.headers["Refresh"].split("url=", 1)[1]
    assert url in started.get_data(as_text=True).replace("&amp;", "&")
    return client.get(oidc.authorize(url))


def test_linked_identity_signs_in_with_pkce_state_and_nonce(client, oidc, make, db_session):
    user = make.user()
    _identity(db_session, user, "sub-linked")
    oidc.sign_in_as("sub-linked")
    start = client.get("/sso/oidc/login?next=/account/security")
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["state"][0] and query["nonce"][0] and query["scope"] == ["openid"]
    done = client.get(oidc.authorize(start.headers["Location"]))
    assert done.status_code == 303 and done.headers["Location"] == "/account/security"
    assert "code_verifier" in oidc.token_requests[0]
    assert _signed_in(client)
    row = db_session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.auth_method == "sso"
    db_session.expire_all()
    assert db_session.scalar(select(SsoIdentity).where(SsoIdentity.subject == "sub-linked")).last_login_at


def test_sso_still_asks_for_the_second_factor_on_a_new_device(app, client, csrf, oidc, make, db_session):
    user = make.user()
    secret = _enrol_totp(app, user)
    _identity(db_session, user, "sub-2fa")
    oidc.sign_in_as("sub-2fa")
    response = _sso_login(client, oidc)
    assert response.headers["Location"] == "/login/verify"
    assert not _signed_in(client), "not signed in before the second factor"
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=31)):
        done = client.post("/login/verify", data={"code": pyotp.TOTP(secret).now(),
                                                  "csrf_token": csrf("/login/verify")})
        assert done.status_code == 303 and _signed_in(client)


def test_unlinked_identity_with_the_email_of_an_account_signs_in_nobody(client, oidc, make, db_session):
    victim = make.user(email="victim@example.com")
    oidc.sign_in_as("attacker-sub", email=victim.email, email_verified=True, name=victim.name)
    response = _sso_login(client, oidc)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "not linked to a Bizalom account" in page
    assert "sign in with your e-mail address and password" in page
    assert not _signed_in(client)
    assert db_session.scalars(select(SsoIdentity)).all() == []
    assert db_session.scalars(select(UserSession).where(UserSession.user_id == victim.id)).all() == []


def test_link_needs_a_recent_password_then_signs_in(client, csrf, oidc, login, make, db_session):
    user = make.user()
    login(user)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=6)):
        stale = _start_link(client, csrf)
        assert stale.status_code == 303 and stale.headers["Location"].startswith("/account/reauth")
        client.post("/account/reauth", data={"password": make.PASSWORD, "next": "/account/security",
                                             "csrf_token": csrf("/account/reauth")})
        oidc.sign_in_as("sub-new", email="someone-else@example.com", email_verified=True)
        linked = _link(client, csrf, oidc)
        assert linked.status_code == 303 and linked.headers["Location"] == "/account/security"
        page = client.get("/account/security").get_data(as_text=True)
        assert "You can now sign in with Test ID" in page and "Unlink" in page
        client.post("/logout", data={"csrf_token": csrf("/")})
        assert not _signed_in(client)
        assert _sso_login(client, oidc).status_code == 303 and _signed_in(client)
    rows = db_session.scalars(select(SsoIdentity)).all()
    assert [(r.user_id, r.provider, r.subject) for r in rows] == [(user.id, "oidc", "sub-new")]


def test_identity_of_another_account_is_not_linked(client, csrf, oidc, login, make, db_session):
    owner, other = make.user(), make.user()
    _identity(db_session, owner, "sub-owned")
    login(other)
    oidc.sign_in_as("sub-owned")
    refused = _link(client, csrf, oidc)
    assert refused.headers["Location"] == "/account/security"
    assert "already linked to another Bizalom account" in client.get("/account/security").get_data(as_text=True)
    rows = db_session.scalars(select(SsoIdentity)).all()
    assert [(r.user_id, r.subject) for r in rows] == [(owner.id, "sub-owned")]


def test_unlink_removes_only_your_own_identity(client, csrf, oidc, login, make, db_session):
    user, stranger = make.user(), make.user()
    mine, theirs = _identity(db_session, user, "sub-mine"), _identity(db_session, stranger, "sub-theirs")
    login(user)
    token = csrf("/account/security")
    assert client.post(f"/account/sso/{theirs.id}/unlink", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/account/sso/{mine.id}/unlink", data={"csrf_token": token}).status_code == 303
    assert [r.subject for r in db_session.scalars(select(SsoIdentity))] == ["sub-theirs"]
    client.post("/logout", data={"csrf_token": csrf("/")})
    oidc.sign_in_as("sub-mine")
    assert _sso_login(client, oidc).status_code == 200 and not _signed_in(client), "unlinked: no sign-in"


def test_security_page_lists_identities_and_providers(client, oidc, login, make, db_session):
    user = make.user()
    _identity(db_session, user, "sub-listed")
    login(user)
    page = client.get("/account/security").get_data(as_text=True)
    assert 'id="sso-identities"' in page and "Test ID" in page and "Link Test ID" in page
    assert 'action="/account/sso/oidc/link"' in page and "/unlink" in page


def test_without_providers_the_feature_shows_nothing(app, client, login, make, monkeypatch):
    for key in ("OIDC_DISCOVERY_URL", "GOOGLE_CLIENT_ID"):
        monkeypatch.setitem(app.config, key, None)
    login(make.user())
    assert 'id="sso-identities"' not in client.get("/account/security").get_data(as_text=True)
    assert client.get("/sso/oidc/login").status_code == 404
    assert client.get("/sso/google/callback?code=x&state=y").status_code == 404


def test_google_is_configured_from_its_client_settings(app, monkeypatch):
    from webapp.sso import providers

    monkeypatch.setitem(app.config, "GOOGLE_CLIENT_ID", "id.apps.googleusercontent.com")
    monkeypatch.setitem(app.config, "GOOGLE_CLIENT_SECRET", "google-secret")
    with app.test_request_context():
        google = providers.configured()["google"]
    assert google.discovery_url == "https://accounts.google.com/.well-known/openid-configuration"
    assert google.label == "Google" and "accounts.google.com" in google.issuers


def test_security_log_records_link_sign_in_unlink_and_refusals(client, csrf, oidc, login, make, db_session,
                                                               redis_conn):
    from webapp.seclog import drain
    from webapp.seclog.models import SecurityEvent
    from webapp.seclog.services import BUFFER_KEY

    redis_conn.delete(BUFFER_KEY, drain.PROCESSING_KEY, drain.LOCK_KEY)
    user = make.user()
    login(user)
    oidc.sign_in_as("sub-logged")
    _link(client, csrf, oidc)
    client.post("/logout", data={"csrf_token": csrf("/")})
    _sso_login(client, oidc)
    identity = db_session.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id))
    client.post(f"/account/sso/{identity.id}/unlink", data={"csrf_token": csrf("/account/security")})
    client.post("/logout", data={"csrf_token": csrf("/")})
    oidc.sign_in_as("sub-stranger", email=user.email, email_verified=True)
    _sso_login(client, oidc)
    drain.drain()
    db_session.expire_all()
    rows = db_session.scalars(select(SecurityEvent).where(SecurityEvent.chain == "security")
                              .order_by(SecurityEvent.seq)).all()
    sso = [(r.kind, r.user_id, json.loads(r.detail or "{}")) for r in rows
           if r.kind.startswith("sso_") or json.loads(r.detail or "{}").get("method") == "sso"]
    assert [(kind, uid) for kind, uid, _ in sso] == [
        ("sso_linked", user.id), ("sso_login", user.id), ("login_ok", user.id), ("sso_unlinked", user.id),
        ("login_failed", None)]
    assert sso[-1][2] == {"method": "sso", "provider": "oidc", "reason": "not_linked"}
    assert "sub-stranger" not in " ".join(r.detail or "" for r in rows), "subjects stay out of the log"


def test_login_buttons_show_configured_providers_only(app, oidc, monkeypatch):
    from flask import render_template

    with app.test_request_context("/login?next=/account/security", headers={"Accept-Language": "en"}):
        html = render_template("sso/_login_buttons.html")
    assert 'href="/sso/oidc/login?next=/account/security"' in html and 'hx-boost="false"' in html
    assert "Sign in with Test ID" in html
    monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", "")
    with app.test_request_context("/login"):
        assert render_template("sso/_login_buttons.html").strip() == ""


def test_identities_go_with_their_account_and_are_unique(make, db_session):
    from sqlalchemy.exc import IntegrityError

    user = make.user()
    _identity(db_session, user, "sub-unique")
    with pytest.raises(IntegrityError), db_session.begin_nested():
        _identity(db_session, make.user(), "sub-unique")
    db_session.delete(db_session.get(User, user.id))
    db_session.flush()
    db_session.expire_all()
    assert db_session.scalars(select(SsoIdentity)).all() == []
