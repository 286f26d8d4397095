""""Invite consultant": a tenant admin lets one operator consultant see and change the tenant's
settings for 1 to 30 days, revocable at any time.

A grant never puts the consultant into the tenant: their requests still carry no tenant
(``webapp.tenancy``), so customer data stays unreachable by construction. The policy rule
``consultant_grant`` (``webapp.authz.policy``) admits a consultant to a view only while
``has_active_grant`` holds for the ``tenant_id`` in its URL. Closed tenants admit nobody.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from webapp import clock
from webapp.accounts import services as accounts
from webapp.accounts.events import security_event
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import ConsultantGrant, Tenant

MIN_DAYS, MAX_DAYS = 1, 30


def _active():
    now = clock.now()
    return (ConsultantGrant.revoked_at.is_(None), ConsultantGrant.expires_at > now)


def has_active_grant(consultant_id: int, tenant_id: int) -> bool:
    return db.session.scalar(select(ConsultantGrant.id).join(Tenant, Tenant.id == ConsultantGrant.tenant_id).where(
        ConsultantGrant.consultant_id == consultant_id, ConsultantGrant.tenant_id == tenant_id,
        Tenant.state != "closed", *_active()).limit(1)) is not None


def grants_of(tenant_id: int) -> list[tuple[ConsultantGrant, User]]:
    """The tenant's grants still in force, with their consultants."""
    rows = db.session.execute(select(ConsultantGrant, User).join(User, User.id == ConsultantGrant.consultant_id)
                              .where(ConsultantGrant.tenant_id == tenant_id, *_active())
                              .order_by(ConsultantGrant.expires_at, ConsultantGrant.id))
    return [(grant, user) for grant, user in rows]


def tenants_for(consultant_id: int) -> list[tuple[Tenant, ConsultantGrant]]:
    """The tenants a consultant may open now, with the grant that allows it."""
    rows = db.session.execute(
        select(Tenant, ConsultantGrant).join(ConsultantGrant, ConsultantGrant.tenant_id == Tenant.id)
        .where(ConsultantGrant.consultant_id == consultant_id, Tenant.state != "closed", *_active())
        .order_by(Tenant.name, ConsultantGrant.expires_at.desc()))
    seen: dict[int, tuple[Tenant, ConsultantGrant]] = {}
    for tenant, grant in rows:
        seen.setdefault(tenant.id, (tenant, grant))
    return list(seen.values())


def find_consultant(email: str) -> User | None:
    user = accounts.find_by_email(email)
    return user if user is not None and user.staff_role == "consultant" and user.active else None


def grant(actor: User, email: str, days: int) -> ConsultantGrant:
    """Give the consultant with ``email`` access for ``days``; an earlier grant is replaced."""
    consultant = find_consultant(email)
    if consultant is None:
        raise Refused(_("No Bizalom consultant uses this address. Ask Bizalom for your consultant's address."))
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise Refused(_("Choose between %(min)s and %(max)s days.", min=MIN_DAYS, max=MAX_DAYS))
    _revoke_where(ConsultantGrant.tenant_id == actor.tenant_id, ConsultantGrant.consultant_id == consultant.id)
    row = ConsultantGrant(tenant_id=actor.tenant_id, consultant_id=consultant.id, granted_by_id=actor.id,
                          expires_at=clock.now() + timedelta(days=days))
    db.session.add(row)
    db.session.flush()
    security_event("consultant_granted", actor, grant_id=row.id, consultant_id=consultant.id, days=days)
    return row


def _revoke_where(*conditions) -> int:
    return db.session.execute(update(ConsultantGrant).where(*conditions, *_active())
                              .values(revoked_at=clock.now())).rowcount


def revoke(actor: User, grant_id: int) -> bool:
    """End a grant of the actor's tenant at once; False if there is no such grant (404)."""
    row = db.session.get(ConsultantGrant, grant_id)
    if row is None or row.tenant_id != actor.tenant_id:
        return False
    if _revoke_where(ConsultantGrant.id == row.id):
        security_event("consultant_revoked", actor, grant_id=row.id, consultant_id=row.consultant_id)
    return True


def revoke_all(tenant_id: int) -> int:
    return _revoke_where(ConsultantGrant.tenant_id == tenant_id)
