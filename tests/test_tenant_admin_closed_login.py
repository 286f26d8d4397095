"""Closed tenants: their users cannot sign in, and live sessions end (needs the login_flow change)."""

from __future__ import annotations

from webapp import clock
from webapp.tenant_admin import tenant_states


def test_users_of_a_closed_tenant_cannot_sign_in(client, csrf, make, db_session):
    user = make.user(tenant=make.tenant(state="closed", closed_at=clock.now()))
    response = client.post("/login", data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf()})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert "is closed" in client.get("/login").get_data(as_text=True)
    assert client.get("/contacts").status_code == 302


def test_a_session_alive_when_the_tenant_closes_ends(app, client, login, make, db_session):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    assert client.get("/contacts").status_code == 200
    tenant.state, tenant.closed_at = "closed", clock.now()  # closed without the service's session sweep
    db_session.flush()
    assert client.get("/contacts").status_code == 302


def test_closing_through_the_service_signs_everyone_out(app, client, login, make, db_session):
    tenant = make.tenant()
    login(make.user(tenant=tenant))
    tenant_states.change_state(tenant, "closed")
    assert client.get("/contacts").status_code == 302
