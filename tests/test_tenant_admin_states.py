"""Tenant life cycle: trial -> subscribed -> closed; closing shuts the tenant's doors at once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from
from webapp import clock
from webapp.accounts.models import UserSession
from webapp.tenant_admin import tenant_states
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import ConsultantGrant, Tenant


def test_trial_becomes_subscribed(app, make, db_session):
    tenant = make.tenant(state="trial")
    with app.test_request_context():
        assert tenant_states.change_state(tenant, "subscribed") is True
        assert tenant_states.change_state(tenant, "subscribed") is False
    assert (tenant.state, tenant.closed_at) == ("subscribed", None)


@pytest.mark.parametrize(("start", "target"), [("subscribed", "trial"), ("closed", "subscribed"),
                                               ("closed", "trial")])
def test_forbidden_transitions(app, make, start, target):
    tenant = make.tenant(state=start, closed_at=clock.now() if start == "closed" else None)
    with app.test_request_context(), pytest.raises(Refused):
        tenant_states.change_state(tenant, target)
    with app.test_request_context(), pytest.raises(ValueError):
        tenant_states.change_state(tenant, "paused")


def test_closing_ends_sessions_grants_and_invitations(app, client, login, make, db_session):
    tenant = make.tenant(state="trial")
    admin = make.user(tenant=tenant, role="admin")
    consultant = make.user(staff_role="consultant")
    db_session.add(ConsultantGrant(tenant_id=tenant.id, consultant_id=consultant.id,
                                   expires_at=clock.now() + timedelta(days=3)))
    login(admin)
    client.post("/settings/users/invite", data={"email": "late@example.com", "name": "Late", "role": "user",
                                                "csrf_token": csrf_from(client.get("/settings/users/invite")
                                                                        .get_data(as_text=True))})
    with app.test_request_context():
        assert tenant_states.change_state(tenant, "closed") is True
    db_session.commit()
    assert tenant.closed_at is not None
    assert client.get("/settings/users").status_code == 302, "the admin was signed out"
    assert db_session.scalars(select(UserSession).where(UserSession.user_id == admin.id,
                                                        UserSession.ended_at.is_(None))).all() == []
    with app.test_request_context():
        from webapp.tenant_admin import grants, invitations

        assert grants.has_active_grant(consultant.id, tenant.id) is False
        assert invitations.pending_for(tenant.id) == []


def test_a_closed_tenant_admits_no_consultant(app, make, db_session):
    from webapp.tenant_admin import grants

    tenant = make.tenant(state="closed", closed_at=clock.now())
    consultant = make.user(staff_role="consultant")
    db_session.add(ConsultantGrant(tenant_id=tenant.id, consultant_id=consultant.id,
                                   expires_at=clock.now() + timedelta(days=3)))
    db_session.flush()
    with app.test_request_context():
        assert grants.has_active_grant(consultant.id, tenant.id) is False
        assert grants.tenants_for(consultant.id) == []


def test_state_changes_are_logged(app, make, db_session):
    from webapp.jobs.queue import connection
    from webapp.seclog import drain
    from webapp.seclog.models import SecurityEvent
    from webapp.seclog.services import BUFFER_KEY

    connection().delete(BUFFER_KEY)  # entries of earlier tests
    tenant = make.tenant(state="trial")
    tenant_states.change_state(tenant, "subscribed")  # outside a request: sent at once
    drain.drain()
    logged = db_session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "tenant_state_changed",
                                                            SecurityEvent.tenant_id == tenant.id)).all()
    assert [json.loads(e.detail) for e in logged] == [{"old_state": "trial", "new_state": "subscribed"}]


def test_cli_changes_the_state(app, make, db_session):
    tenant = make.tenant(state="trial", slug="cli-tenant")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tenants", "state", "cli-tenant", "closed"])
    assert result.exit_code == 0 and "cli-tenant: closed" in result.output
    db_session.expire_all()
    assert db_session.get(Tenant, tenant.id).state == "closed"
    refused = runner.invoke(args=["tenants", "state", "cli-tenant", "trial"])
    assert refused.exit_code != 0 and "cannot become trial" in refused.output
    assert runner.invoke(args=["tenants", "state", "no-such-tenant", "closed"]).exit_code != 0
