"""Tenant admins manage their users: roles, disabling (ends sessions), the list's states, htmx rows."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from
from webapp.accounts import lockout
from webapp.accounts.models import User, UserSession

HX = {"HX-Request": "true"}


@pytest.fixture()
def team(make):
    tenant = make.tenant()
    return tenant, make.user(tenant=tenant, role="admin", name="Ada Admin"), make.user(tenant=tenant, name="Ubul User")


@pytest.fixture()
def admin_client(client, login, team):
    login(team[1])
    return client


def _token(client) -> str:
    return csrf_from(client.get("/settings/users").get_data(as_text=True))


def _post(client, path, headers=None, **data):
    return client.post(path, data={"csrf_token": _token(client), **data}, headers=headers or {})


def _fresh(db_session, user) -> User:
    db_session.expire_all()
    return db_session.get(User, user.id)


def test_the_list_shows_every_state(app, admin_client, make, team, db_session):
    tenant, _admin, member = team
    disabled = make.user(tenant=tenant, name="Dora Disabled", active=False)
    with app.test_request_context():
        for _ in range(5):
            lockout.register_failure(member.id, "192.0.2.1")
    _post(admin_client, "/settings/users/invite", name="Ivo Invited", email="ivo@example.com", role="user")
    html = admin_client.get("/settings/users").get_data(as_text=True)
    assert "Locked until" in html and "Invited, open until" in html and "ivo@example.com" in html
    assert f'id="user-{disabled.id}"' in html and "Disabled" in html and "Active" in html


def test_role_change_by_form_post_redirects(admin_client, team, db_session, events):
    _tenant, admin, member = team
    response = _post(admin_client, f"/settings/users/{member.id}/role", role="admin")
    assert response.status_code == 303 and response.headers["Location"] == "/settings/users"
    assert _fresh(db_session, member).role == "admin"
    changed = [e for e in events("role_changed") if e.user_id == member.id]
    assert json.loads(changed[0].detail) == {"by": admin.id, "old_role": "user", "new_role": "admin"}


def test_htmx_row_action_answers_with_the_row_only(admin_client, team, db_session):
    _tenant, _admin, member = team
    response = _post(admin_client, f"/settings/users/{member.id}/role", headers=HX, role="admin")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith(f'<tr id="user-{member.id}"') and "<html" not in html
    assert '<option value="admin" selected>' in html
    full = admin_client.get("/settings/users")
    assert "<html" in full.get_data(as_text=True) and "HX-Request" in full.headers["Vary"]
    partial = admin_client.get("/settings/users", headers=HX).get_data(as_text=True)
    assert partial.startswith('<div id="tenant-users">')
    boosted = _post(admin_client, f"/settings/users/{member.id}/role", headers={**HX, "HX-Boosted": "true"},
                    role="user")
    assert boosted.status_code == 303, "a boosted form gets the whole page"


def test_unknown_role_is_refused(admin_client, team, db_session):
    _tenant, _admin, member = team
    response = _post(admin_client, f"/settings/users/{member.id}/role", headers=HX, role="owner")
    assert response.status_code == 409 and "Choose a role" in response.get_data(as_text=True)
    assert _fresh(db_session, member).role == "user"


def test_the_last_active_admin_cannot_be_demoted_or_disabled(admin_client, make, team, db_session):
    tenant, admin, _member = team
    make.user(tenant=tenant, role="admin", active=False)  # a disabled admin does not count
    refused = _post(admin_client, f"/settings/users/{admin.id}/role", headers=HX, role="user")
    assert refused.status_code == 409 and "last active administrator" in refused.get_data(as_text=True)
    plain = _post(admin_client, f"/settings/users/{admin.id}/role", role="user")
    assert plain.status_code == 303
    assert "last active administrator" in admin_client.get("/settings/users").get_data(as_text=True)
    assert _fresh(db_session, admin).role == "admin"


def test_with_a_second_admin_an_admin_may_step_down(admin_client, make, team, db_session):
    tenant, admin, _member = team
    make.user(tenant=tenant, role="admin")
    assert _post(admin_client, f"/settings/users/{admin.id}/role", headers=HX, role="user").status_code == 200
    assert _fresh(db_session, admin).role == "user"
    assert admin_client.get("/settings/users").status_code == 403, "no longer an admin"


def test_last_admin_cannot_be_disabled_by_another_path(app, make, db_session):
    from webapp.tenant_admin import services

    tenant = make.tenant()
    admin, other = make.user(tenant=tenant, role="admin"), make.user(tenant=tenant, role="admin")
    with app.test_request_context():
        services.disable(admin, other)
        with pytest.raises(services.Refused):
            services.change_role(admin, admin, "user")
        with pytest.raises(services.Refused):
            services.disable(admin, admin)


def test_disabling_ends_every_session_of_the_user(app, admin_client, make, team, db_session, events):
    _tenant, admin, member = team
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = csrf_from(other.get("/login").get_data(as_text=True))
    assert other.post("/login", data={"email": member.email, "password": make.PASSWORD,
                                      "csrf_token": token}).status_code == 303
    assert other.get("/contacts").status_code == 200
    response = _post(admin_client, f"/settings/users/{member.id}/disable", headers=HX)
    assert response.status_code == 200 and "Enable" in response.get_data(as_text=True)
    assert other.get("/contacts").status_code == 302, "the member's session died"
    live = db_session.scalars(select(UserSession).where(UserSession.user_id == member.id,
                                                        UserSession.ended_at.is_(None))).all()
    assert live == [] and _fresh(db_session, member).active is False
    assert [e.user_id for e in events("account_disabled")] == [member.id]
    again = other.post("/login", data={"email": member.email, "password": make.PASSWORD,
                                       "csrf_token": csrf_from(other.get("/login").get_data(as_text=True))})
    assert again.status_code == 422


def test_enable_lets_the_user_sign_in_again(admin_client, make, team, db_session, events):
    tenant, _admin, _member = team
    disabled = make.user(tenant=tenant, active=False)
    response = _post(admin_client, f"/settings/users/{disabled.id}/enable")
    assert response.status_code == 303 and _fresh(db_session, disabled).active is True
    assert [e.user_id for e in events("account_enabled")] == [disabled.id]


def test_an_admin_cannot_disable_themselves(admin_client, make, team, db_session):
    tenant, admin, _member = team
    make.user(tenant=tenant, role="admin")
    response = _post(admin_client, f"/settings/users/{admin.id}/disable", headers=HX)
    assert response.status_code == 409 and "your own account" in response.get_data(as_text=True)
    assert _fresh(db_session, admin).active is True


def test_row_actions_need_a_csrf_token(admin_client, team, db_session):
    _tenant, _admin, member = team
    for action, data in (("role", {"role": "admin"}), ("disable", {}), ("enable", {})):
        response = admin_client.post(f"/settings/users/{member.id}/{action}", data=data, headers=HX)
        assert response.status_code == 400, action
    assert _fresh(db_session, member).role == "user" and _fresh(db_session, member).active is True


def test_an_admin_cannot_touch_users_of_another_tenant(admin_client, make, db_session):
    stranger = make.user(tenant=make.tenant(), role="admin")
    other_member = make.user(tenant=stranger.tenant)
    for action, data in (("role", {"role": "user"}), ("disable", {}), ("enable", {}), ("unlock", {})):
        assert _post(admin_client, f"/settings/users/{stranger.id}/{action}", **data).status_code == 404, action
    assert _post(admin_client, f"/settings/users/{other_member.id}/role", role="admin").status_code == 404
    assert _fresh(db_session, stranger).role == "admin" and _fresh(db_session, stranger).active is True
    assert stranger.email not in admin_client.get("/settings/users").get_data(as_text=True)


def test_plain_users_are_refused(client, login, team):
    _tenant, _admin, member = team
    login(member)
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.get("/settings/users").status_code == 403
    response = client.post(f"/settings/users/{member.id}/role", data={"role": "admin", "csrf_token": token})
    assert response.status_code == 403
