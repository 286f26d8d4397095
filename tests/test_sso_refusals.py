"""Single sign-on refusals: every bad answer gives a clear message, changes nothing, never a 500."""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from webapp.accounts.models import UserSession
from webapp.sso.models import SsoIdentity

NOT_VERIFIED = "could not be verified"


@pytest.fixture()
def linked(make, db_session, oidc):
    user = make.user()
    db_session.add(SsoIdentity(user_id=user.id, provider="oidc", subject="sub-linked"))
    db_session.flush()
    oidc.sign_in_as("sub-linked", email=user.email, email_verified=True)
    return user


def _callback_path(client, oidc) -> str:
    start = client.get("/sso/oidc/login")
    return oidc.authorize(start.headers["Location"])


def _with(path: str, **changes) -> str:
    parts = urlsplit(path)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
    return f"{parts.path}?{urlencode(query)}"


def _refused(client, response, text: str, db_session, user) -> None:
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert text in client.get("/login").get_data(as_text=True)
    assert "Welcome back" not in client.get("/").get_data(as_text=True)
    assert db_session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all() == []


def test_tampered_state_is_refused_before_any_token_request(client, oidc, linked, db_session):
    path = _callback_path(client, oidc)
    response = client.get(_with(path, state="forged-state"))
    _refused(client, response, NOT_VERIFIED, db_session, linked)
    assert oidc.token_requests == []


def test_callback_in_another_browser_is_refused(app, client, oidc, linked, db_session):
    path = _callback_path(client, oidc)
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    _refused(other, other.get(path), NOT_VERIFIED, db_session, linked)
    assert oidc.token_requests == []


def test_a_callback_works_once(client, csrf, oidc, linked, db_session):
    path = _callback_path(client, oidc)
    assert client.get(path).status_code == 303
    client.post("/logout", data={"csrf_token": csrf("/")})
    sessions_before = len(db_session.scalars(select(UserSession)).all())
    again = client.get(path)
    assert again.status_code == 303 and again.headers["Location"] == "/login"
    assert "Welcome back" not in client.get("/").get_data(as_text=True)
    assert len(db_session.scalars(select(UserSession)).all()) == sessions_before


def test_replayed_code_is_refused_by_the_provider(client, csrf, oidc, linked, db_session):
    first = _callback_path(client, oidc)
    assert client.get(first).status_code == 303
    client.post("/logout", data={"csrf_token": csrf("/")})
    fresh = _callback_path(client, oidc)  # a new flow, answered with the old code
    old_code = parse_qs(urlsplit(first).query)["code"][0]
    before = len(db_session.scalars(select(UserSession)).all())
    response = client.get(_with(fresh, code=old_code))
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert NOT_VERIFIED in client.get("/login").get_data(as_text=True)
    assert len(oidc.token_requests) == 2, "the provider was asked, and said no"
    assert len(db_session.scalars(select(UserSession)).all()) == before


@pytest.mark.parametrize("tamper", ["nonce", "key", "unknown_key", "audience", "issuer", "expired"])
def test_id_token_that_fails_a_check_is_refused(client, oidc, linked, db_session, tamper):
    oidc.tamper = tamper
    response = client.get(_callback_path(client, oidc))
    _refused(client, response, NOT_VERIFIED, db_session, linked)
    assert len(oidc.token_requests) == 1


def test_provider_error_gives_a_clear_message(client, oidc, linked, db_session):
    oidc.deny = True
    path = _callback_path(client, oidc)
    assert parse_qs(urlsplit(path).query)["error"] == ["access_denied"]
    _refused(client, client.get(path), "was cancelled. Nothing was changed.", db_session, linked)


def test_unknown_provider_error_and_missing_parameters(client, oidc, linked, db_session):
    path = _callback_path(client, oidc)
    response = client.get(_with(path, error="server_error", code=""))
    _refused(client, response, "reported a problem", db_session, linked)
    assert client.get("/sso/oidc/callback").status_code == 303


def test_unreachable_provider(app, client, monkeypatch, make, db_session):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "OIDC_DISCOVERY_URL", f"http://127.0.0.1:{port}/.well-known/openid-configuration")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "x")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", "y")
    monkeypatch.setitem(app.config, "OIDC_NAME", "Down ID")
    response = client.get("/sso/oidc/login")
    assert response.status_code == 303
    assert "Down ID cannot be reached right now" in client.get("/login").get_data(as_text=True)


def test_disabled_account_cannot_sign_in_with_its_identity(client, oidc, linked, db_session):
    linked.active = False
    db_session.flush()
    _refused(client, client.get(_callback_path(client, oidc)), "cannot sign in right now", db_session, linked)


def test_link_callback_after_signing_out_links_nothing(client, csrf, oidc, login, make, db_session):
    user = make.user()
    login(user)
    started = client.post("/account/sso/oidc/link", data={"csrf_token": csrf("/account/security")})
    url = started.headers["Refresh"].split("url=", 1)[1]
    client.post("/logout", data={"csrf_token": csrf("/")})
    oidc.sign_in_as("sub-late")
    response = client.get(oidc.authorize(url))
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert db_session.scalars(select(SsoIdentity)).all() == []
