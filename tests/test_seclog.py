"""Security log: access and authentication events, the Redis buffer, the drain, the hash chains."""

from __future__ import annotations

import json

import pytest
from flask import Response
from flask_login import login_user
from redis import Redis
from sqlalchemy import select, text

from webapp.crypto import keyed_hash
from webapp.jobs import services as jobs
from webapp.seclog import chain, drain
from webapp.seclog.entries import email_hmac
from webapp.seclog.models import GENESIS_HASH, SecurityEvent
from webapp.seclog.services import BUFFER_KEY, record

SPY_IP, SPY_AGENT = "203.0.113.77", "SpyAgent/9.9"


@pytest.fixture()
def buffer(redis_conn):
    """The Redis buffer, emptied of entries left by other tests' requests."""
    redis_conn.delete(BUFFER_KEY, drain.PROCESSING_KEY, drain.LOCK_KEY)
    return redis_conn


def events(db_session, chain_name: str | None = None) -> list[SecurityEvent]:
    db_session.expire_all()
    query = select(SecurityEvent).order_by(SecurityEvent.chain, SecurityEvent.seq)
    if chain_name:
        query = query.where(SecurityEvent.chain == chain_name)
    return list(db_session.scalars(query))


def as_text(event: SecurityEvent) -> str:
    return json.dumps({column.name: str(getattr(event, column.name)) for column in SecurityEvent.__table__.c})


def test_access_of_a_signed_in_page_is_logged_with_the_cookie_id_and_no_ip(db_session, buffer, make, client,
                                                                           login):
    user = make.user()
    db_session.commit()
    login(user)
    spy = {"environ_base": {"REMOTE_ADDR": SPY_IP}, "headers": {"User-Agent": SPY_AGENT}}
    assert client.get("/", **spy).status_code == 200
    buffered = b" ".join(buffer.lrange(BUFFER_KEY, 0, -1)).decode()
    assert drain.drain() >= 3
    cookie = client.get_cookie("bid").value
    home = [e for e in events(db_session, "detailed") if e.endpoint == "public.home"]
    assert len(home) == 1
    assert (home[0].kind, home[0].method, home[0].status) == ("access", "GET", 200)
    assert (home[0].user_id, home[0].tenant_id, home[0].browser_id) == (user.id, user.tenant_id, cookie)
    stored = " ".join(as_text(e) for e in events(db_session)) + buffered
    assert SPY_IP not in stored and SPY_AGENT not in stored and "127.0.0.1" not in stored
    assert not {"ip", "ip_address", "user_agent"} & {c.name for c in SecurityEvent.__table__.c}


def _failed_login(client, csrf):
    return client.post("/login", data={"email": "nobody@example.com", "password": "wrong-password-here",
                                       "csrf_token": csrf()})


def test_anonymous_pages_are_not_logged_and_get_no_cookie(db_session, buffer, client):
    for path in ("/", "/login"):
        assert "bid=" not in client.get(path).headers.get("Set-Cookie", "")
    assert buffer.llen(BUFFER_KEY) == 0
    assert drain.drain() == 0 and events(db_session) == []


def test_a_sign_in_attempt_gets_the_cookie_once(db_session, buffer, client, csrf):
    cookies = [c for c in _failed_login(client, csrf).headers.getlist("Set-Cookie") if c.startswith("bid=")]
    assert len(cookies) == 1 and "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]
    assert "Secure" not in cookies[0]
    again = _failed_login(client, csrf).headers.getlist("Set-Cookie")
    assert not any(c.startswith("bid=") for c in again)


def test_the_cookie_is_secure_and_host_only_in_production(app, db_session, buffer, client, csrf, monkeypatch):
    token = csrf()
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    response = client.post("/login", data={"email": "nobody@example.com", "password": "wrong-password-here",
                                           "csrf_token": token})
    set_cookie = next(c for c in response.headers.getlist("Set-Cookie") if "bid=" in c)
    assert set_cookie.startswith("__Host-bid=") and "Secure" in set_cookie and "Path=/" in set_cookie


def test_static_files_and_probes_are_left_alone(db_session, buffer, make, client, login):
    login(make.user())
    buffer.delete(BUFFER_KEY)
    for path in ("/healthz", "/readyz", "/static/favicon.ico"):
        client.get(path)
    assert buffer.llen(BUFFER_KEY) == 0


def test_sign_in_and_sign_out_are_logged_once_each(db_session, buffer, make, client, login, csrf):
    """The accounts feature records them through ``record``; the browser id ties them together."""
    user = make.user()
    login(user)
    client.post("/logout", data={"csrf_token": csrf("/")})
    drain.drain()
    security = events(db_session, "security")
    assert [(e.kind, e.user_id) for e in security] == [("login_ok", user.id), ("session_end", user.id)]
    assert json.loads(security[1].detail)["reason"] == "logout"
    assert security[0].browser_id == security[1].browser_id == client.get_cookie("bid").value


def test_failed_logins_of_an_unknown_account_correlate_without_the_address(db_session, buffer):
    record("login_failed", detail={"email": "  Nobody@Example.COM "})
    record("login_failed", detail={"email": "nobody@example.com"})
    drain.drain()
    failed = events(db_session, "security")
    digests = {json.loads(e.detail)["email_hmac"] for e in failed}
    assert len(failed) == 2 and digests == {keyed_hash("login-email", "nobody@example.com")}
    assert all("nobody" not in as_text(e).lower() for e in failed)
    assert email_hmac("other@example.com") not in digests


def test_record_inside_a_request_fills_endpoint_method_and_cookie_id(app, db_session, buffer):
    with app.test_request_context("/login", method="POST", headers={"Cookie": "bid=" + "A" * 22}):
        record("mfa_failed", user_id=7, tenant_id=3, detail={"factor": "totp"})
        assert buffer.llen(BUFFER_KEY) == 0  # sent once, with the response
        app.process_response(Response())
    assert buffer.llen(BUFFER_KEY) == 1
    drain.drain()
    [event] = events(db_session)
    assert (event.kind, event.chain, event.endpoint, event.method) == ("mfa_failed", "security", "accounts.login",
                                                                         "POST")
    assert (event.user_id, event.tenant_id, event.browser_id) == (7, 3, "A" * 22)


def test_a_refused_page_is_kept_as_a_security_event(app, db_session, buffer, make):
    user = make.user()
    with app.test_request_context("/"):
        login_user(user)
        app.process_response(Response(status=403))
    drain.drain()
    [event] = events(db_session)
    assert (event.kind, event.chain, event.status, event.user_id) == ("access_denied", "security", 403, user.id)


@pytest.mark.parametrize("detail", [{"ip": "10.0.0.1"}, {"User_Agent": "x"}, {"password": "hunter2"}])
def test_network_ids_and_secrets_are_refused(db_session, detail):
    with pytest.raises(ValueError, match="never stores"):
        record("login_failed", detail=detail)


def test_only_documented_kinds_are_accepted(db_session):
    with pytest.raises(ValueError, match="unknown security log kind"):
        record("coffee_break")


def test_drain_keeps_the_order_and_the_chains_verify(db_session, buffer):
    kinds = ["login_ok", "access", "mfa_ok", "access", "password_changed", "access", "session_end"]
    for number, kind in enumerate(kinds):
        record(kind, user_id=number)
    assert drain.drain(batch_size=3) == len(kinds)
    assert buffer.llen(BUFFER_KEY) == 0 and buffer.llen(drain.PROCESSING_KEY) == 0
    for name in ("detailed", "security"):
        rows = events(db_session, name)
        assert [e.seq for e in rows] == list(range(1, len(rows) + 1))
        assert [e.user_id for e in rows] == sorted(e.user_id for e in rows)
        assert [e.prev_hash for e in rows] == [GENESIS_HASH] + [e.hash for e in rows[:-1]]
    verdict = chain.verify()
    assert verdict.ok and verdict.count == len(kinds)


def test_changing_one_row_breaks_verification_at_that_row(app, db_session, buffer):
    for number in range(4):
        record("login_failed", user_id=number)
    drain.drain()
    db_session.execute(text("UPDATE security_log SET detail = :forged WHERE chain = 'security' AND seq = 3"),
                       {"forged": '{"reason":"forged"}'})
    db_session.commit()
    broken = chain.verify().broken
    assert (broken.chain, broken.seq) == ("security", 3) and "altered" in broken.reason
    result = app.test_cli_runner().invoke(args=["seclog", "verify"])
    assert result.exit_code == 1 and "BROKEN: security chain at seq 3" in result.output


def test_deleting_a_row_in_the_middle_or_at_the_end_is_found(db_session, buffer):
    for number in range(5):
        record("access", user_id=number)
    drain.drain()
    db_session.execute(text("DELETE FROM security_log WHERE chain = 'detailed' AND seq = 5"))
    assert "newest entries are missing" in chain.verify().broken.reason
    db_session.execute(text("DELETE FROM security_log WHERE chain = 'detailed' AND seq = 2"))
    broken = chain.verify().broken
    assert broken.seq == 3 and "missing" in broken.reason


def test_a_second_drain_while_one_runs_does_nothing(db_session, buffer):
    record("login_ok", user_id=1)
    running = buffer.lock(drain.LOCK_KEY, timeout=30)
    assert running.acquire(blocking=False)
    try:
        assert drain.drain() is None
        assert buffer.llen(BUFFER_KEY) == 1 and events(db_session) == []
    finally:
        running.release()
    assert drain.drain() == 1


def test_a_crashed_drain_loses_nothing_and_stores_nothing_twice(db_session, buffer):
    for number in range(3):
        record("access", user_id=number)
    drain.claim(buffer, 2)  # crash after moving a batch, before storing it
    record("access", user_id=3)
    drain.store_batch(drain.claim(buffer, 10))  # crash after committing, before releasing
    assert buffer.llen(drain.PROCESSING_KEY) == 2
    assert drain.drain() == 2
    assert [e.user_id for e in events(db_session)] == [0, 1, 2, 3]
    assert buffer.llen(drain.PROCESSING_KEY) == 0 and chain.verify().ok


def test_two_drain_jobs_through_rq_store_each_entry_once(db_session, buffer, run_jobs):
    for number in range(5):
        record("access", user_id=number)
    for _ in range(2):
        jobs.enqueue("workers.seclog.drain_security_log", queue_name="maintenance")
    db_session.commit()
    assert run_jobs() == 2
    assert [e.user_id for e in events(db_session)] == [0, 1, 2, 3, 4]


def test_an_unreadable_buffered_entry_is_replaced_by_an_event(db_session, buffer):
    buffer.rpush(BUFFER_KEY, b"not json", b'{"k": "access"}')
    record("access", user_id=1)
    assert drain.drain() == 3
    assert [e.kind for e in events(db_session, "security")] == ["log_entry_invalid"] * 2
    assert chain.verify().ok


def test_redis_unreachable_the_entry_is_still_stored(app, db_session, buffer, make, client, login):
    user = make.user()
    login(user)
    record("role_changed", user_id=user.id, detail={"role": "admin"})
    live = app.extensions["redis"]
    app.extensions["redis"] = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    try:
        record("account_locked", user_id=user.id)
        assert client.get("/").status_code == 200
    finally:
        app.extensions["redis"] = live
    assert [e.kind for e in events(db_session)] == ["access", "account_locked"]
    drain.drain()
    assert [e.kind for e in events(db_session, "security")] == ["account_locked", "login_ok", "role_changed"]
    assert chain.verify().ok


def test_without_redis_entries_are_written_directly(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_MODE", "inline")
    record("sso_linked", user_id=5, detail={"provider": "oidc"})
    assert [(e.kind, e.user_id) for e in events(db_session)] == [("sso_linked", 5)]
    assert drain.drain() == 0


def test_cli_lists_the_kinds_and_drains(app, db_session, buffer):
    runner = app.test_cli_runner()
    assert "login_failed\tsecurity" in runner.invoke(args=["seclog", "kinds"]).output
    record("login_ok", user_id=1)
    assert "stored 1 entries" in runner.invoke(args=["seclog", "drain"]).output
    result = runner.invoke(args=["seclog", "verify"])
    assert result.exit_code == 0 and result.output.startswith("OK: 1 entries verified")
