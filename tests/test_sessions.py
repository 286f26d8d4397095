"""Server-side sessions: new id at login, list and end, idle and absolute timeouts, global ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from webapp.accounts import services
from webapp.accounts.models import UserSession


def _signed_in(client) -> bool:
    return "Welcome back" in client.get("/").get_data(as_text=True)


def test_login_records_a_session_with_a_device_label(client, make, login, db_session):
    user = make.user()
    client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"
    login(user)
    row = db_session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.device_label == "Chrome · Linux" and row.ended_at is None
    assert row.token_hash not in (client.get_cookie("session").value or "")


def test_session_fixation_the_pre_login_cookie_is_worthless(app, client, make, login):
    user = make.user()
    client.get("/login")
    before = client.get_cookie("session").value
    login(user)
    attacker = app.test_client()
    attacker.set_cookie("session", before)
    assert not _signed_in(attacker)
    assert _signed_in(client)


def test_list_and_end_another_session(app, client, make, login, csrf, db_session):
    user = make.user()
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other.post("/login", data={"email": user.email, "password": make.PASSWORD,
                               "csrf_token": _token(other)})
    assert _signed_in(other)
    login(user)
    page = client.get("/account/security").get_data(as_text=True)
    rows = db_session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(rows) == 2 and all(f'id="session-{row.id}"' in page for row in rows)
    other_row = min(rows, key=lambda row: row.id)
    response = client.post(f"/account/sessions/{other_row.id}/end", data={"csrf_token": csrf("/account/security")})
    assert response.status_code == 303
    assert not _signed_in(other) and _signed_in(client)
    db_session.expire_all()
    assert db_session.get(UserSession, other_row.id).end_reason == "ended_by_user"


def _token(test_client) -> str:
    from tests.conftest import csrf_from

    return csrf_from(test_client.get("/login").get_data(as_text=True))


def test_cannot_end_someone_elses_session(app, client, make, login, csrf, db_session):
    victim, attacker = make.user(), make.user()
    other = app.test_client()
    other.post("/login", data={"email": victim.email, "password": make.PASSWORD, "csrf_token": _token(other)})
    victim_row = db_session.scalar(select(UserSession).where(UserSession.user_id == victim.id))
    login(attacker)
    response = client.post(f"/account/sessions/{victim_row.id}/end", data={"csrf_token": csrf("/account/security")})
    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(UserSession, victim_row.id).ended_at is None


def test_idle_timeout_after_thirty_minutes(client, make, login):
    user = make.user()
    start = datetime.now(UTC)
    with time_machine.travel(start) as traveller:
        login(user)
        traveller.shift(timedelta(minutes=29))
        assert _signed_in(client)
        traveller.shift(timedelta(minutes=29))
        assert _signed_in(client), "activity keeps the session alive"
        traveller.shift(timedelta(minutes=31))
        assert not _signed_in(client)


def test_absolute_timeout_after_twelve_hours_despite_activity(client, make, login, db_session):
    user = make.user()
    start = datetime.now(UTC)
    with time_machine.travel(start) as traveller:
        login(user)
        for _ in range(24):  # 24 x 29 min = 11 h 36 min
            traveller.shift(timedelta(minutes=29))
            assert _signed_in(client)
        traveller.shift(timedelta(minutes=29))  # 12 h 5 min after login
        assert not _signed_in(client)
    row = db_session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.end_reason == "absolute_timeout"


def test_logout_ends_the_session_row(client, make, login, csrf, db_session):
    user = make.user()
    login(user)
    cookie = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf("/")})
    client.set_cookie("session", cookie)  # replaying the old cookie does not bring the session back
    assert not _signed_in(client)
    assert db_session.scalar(select(UserSession.end_reason).where(UserSession.user_id == user.id)) == "logout"


def test_password_change_ends_the_other_sessions(app, client, make, login, csrf):
    user = make.user()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": make.PASSWORD, "csrf_token": _token(other)})
    login(user)
    response = client.post("/account/password", data={
        "current": make.PASSWORD, "password": "Balaton-summer-thunder-91", "confirm": "Balaton-summer-thunder-91",
        "csrf_token": csrf("/account/password")})
    assert response.status_code == 303
    assert _signed_in(client) and not _signed_in(other)


def test_disabling_an_account_ends_its_sessions(app, client, make, login, db_session):
    user = make.user()
    login(user)
    with app.test_request_context():
        services.disable(db_session.get(type(user), user.id))
    db_session.commit()
    assert not _signed_in(client)
