"""Tenant life cycle: trial -> subscribed -> closed (a trial may also close at once).

Closing is final here: it stamps ``closed_at`` (the table requires it), ends every session of
the tenant's users, revokes consultant grants and withdraws open invitations. Signing in to a
closed tenant is refused by the login flow (``webapp.accounts.login_flow``).
"""

from __future__ import annotations

from sqlalchemy import select, update

from webapp import clock
from webapp.accounts.models import User, UserSession
from webapp.extensions import db
from webapp.seclog import services as seclog
from webapp.tenant_admin import grants
from webapp.tenant_admin.models import Invitation
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import TENANT_STATES, Tenant

TRANSITIONS = {"trial": {"subscribed", "closed"}, "subscribed": {"closed"}, "closed": set()}


def change_state(tenant: Tenant, state: str, actor: User | None = None) -> bool:
    """Move ``tenant`` to ``state``; False if it is there already, Refused if not allowed."""
    if state not in TENANT_STATES:
        raise ValueError(f"unknown tenant state {state!r}")
    if state == tenant.state:
        return False
    if state not in TRANSITIONS[tenant.state]:
        raise Refused(f"a {tenant.state} tenant cannot become {state}")
    previous, tenant.state = tenant.state, state
    if state == "closed":
        tenant.closed_at = clock.now()
        _shut(tenant.id)
    db.session.flush()
    seclog.record("tenant_state_changed", user_id=actor.id if actor else None, tenant_id=tenant.id,
                  detail={"old_state": previous, "new_state": state})
    return True


def _shut(tenant_id: int) -> None:
    now = clock.now()
    members = select(User.id).where(User.tenant_id == tenant_id)
    db.session.execute(update(UserSession).where(UserSession.user_id.in_(members), UserSession.ended_at.is_(None))
                       .values(ended_at=now, end_reason="tenant_closed"))
    grants.revoke_all(tenant_id)
    db.session.execute(update(Invitation).where(Invitation.tenant_id == tenant_id, Invitation.accepted_at.is_(None),
                                                Invitation.revoked_at.is_(None)).values(revoked_at=now))
