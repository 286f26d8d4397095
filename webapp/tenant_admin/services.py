"""Tenant administration: the tenant's users (roles, disabling, unlocking) and its sign-in rules.

Every function takes the tenant from the signed-in admin (``actor.tenant_id``), never from the
request, and refuses users of other tenants (``member`` returns None: the route answers 404).
A tenant always keeps at least one active admin: demoting or disabling the last one is refused
under a row lock on the tenant, so two admins demoting each other at once cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from webapp.accounts import lockout
from webapp.accounts import services as accounts
from webapp.accounts.events import security_event
from webapp.accounts.models import TENANT_ROLES, User
from webapp.extensions import db
from webapp.tenants.models import Tenant


class Refused(Exception):
    """A change the rules forbid; ``str(exc)`` is a translated message for the admin."""


@dataclass(frozen=True)
class UserRow:
    user: User
    locked_until: datetime | None

    @property
    def state(self) -> str:
        if not self.user.active:
            return "disabled"
        return "locked" if self.locked_until else "active"


def users_of(tenant_id: int) -> list[UserRow]:
    users = db.session.scalars(select(User).where(User.tenant_id == tenant_id).order_by(User.name, User.id))
    return [UserRow(user, lockout.locked_until(user.id)) for user in users]


def row_of(user: User) -> UserRow:
    return UserRow(user, lockout.locked_until(user.id))


def member(tenant_id: int, user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.tenant_id == tenant_id else None


def unlock(actor: User, user: User) -> bool:
    unlocked = lockout.unlock(user.id)
    if unlocked:
        security_event("account_unlocked", user, by=actor.id)
    return unlocked


def set_require_2fa(actor: User, tenant: Tenant, required: bool) -> None:
    if tenant.require_2fa != required:
        tenant.require_2fa = required
        security_event("role_changed", actor, tenant_require_2fa=required)
        db.session.flush()


def _other_active_admins(user: User) -> int:
    db.session.get(Tenant, user.tenant_id, with_for_update=True)  # serializes admin changes per tenant
    return db.session.scalar(select(func.count(User.id)).where(
        User.tenant_id == user.tenant_id, User.role == "admin", User.active.is_(True), User.id != user.id))


def _keep_an_admin(user: User) -> None:
    from flask_babel import gettext as _

    if user.role == "admin" and user.active and _other_active_admins(user) == 0:
        raise Refused(_("%(name)s is the last active administrator. Make someone else an administrator first.",
                        name=user.name))


def change_role(actor: User, user: User, role: str) -> bool:
    """Set ``user``'s role (admin or user); False if it already had it."""
    if role not in TENANT_ROLES:
        raise ValueError(f"unknown tenant role {role!r}")
    if user.role == role:
        return False
    if role != "admin":
        _keep_an_admin(user)
    previous, user.role = user.role, role
    db.session.flush()
    security_event("role_changed", user, by=actor.id, old_role=previous, new_role=role)
    return True


def disable(actor: User, user: User) -> bool:
    """Disable ``user`` and end all their sessions; False if already disabled."""
    from flask_babel import gettext as _

    if not user.active:
        return False
    if user.id == actor.id:
        raise Refused(_("You cannot disable your own account."))
    _keep_an_admin(user)
    accounts.disable(user)
    security_event("account_disabled", user, by=actor.id)
    return True


def enable(actor: User, user: User) -> bool:
    if user.active:
        return False
    user.active = True
    db.session.flush()
    security_event("account_enabled", user, by=actor.id)
    return True
