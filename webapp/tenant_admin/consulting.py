"""What a consultant with a grant may do in a tenant: see its settings, require a second factor.

Only the tenant row is read (name, state, dates, sign-in rules); no user, contact or other
personal data of the tenant. Every view and change is a ``consultant_access`` security event
filed under the tenant, so its admins' audit trail shows what the consultant did.
"""

from __future__ import annotations

from webapp.extensions import db
from webapp.seclog import services as seclog
from webapp.tenants.models import Tenant


def _log(consultant, tenant: Tenant, action: str, **detail) -> None:
    seclog.record("consultant_access", user_id=consultant.id, tenant_id=tenant.id,
                  detail={"action": action, **detail})


def find(tenant_id: int) -> Tenant | None:
    return db.session.get(Tenant, tenant_id)


def view_settings(consultant, tenant_id: int) -> Tenant | None:
    tenant = find(tenant_id)
    if tenant is not None:
        _log(consultant, tenant, "view_settings")
    return tenant


def set_require_2fa(consultant, tenant: Tenant, required: bool) -> bool:
    if tenant.require_2fa == required:
        return False
    tenant.require_2fa = required
    db.session.flush()
    _log(consultant, tenant, "set_require_2fa", require_2fa=required)
    seclog.record("role_changed", user_id=consultant.id, tenant_id=tenant.id,
                  detail={"tenant_require_2fa": required, "by_consultant": True})
    return True
