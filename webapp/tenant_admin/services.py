"""Tenant administration: the tenant's users, unlocking them, requiring a second factor."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from webapp.accounts import lockout
from webapp.accounts.events import security_event
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.tenants.models import Tenant


@dataclass(frozen=True)
class UserRow:
    user: User
    locked_until: object


def users_of(tenant_id: int) -> list[UserRow]:
    users = db.session.scalars(select(User).where(User.tenant_id == tenant_id).order_by(User.name, User.id))
    return [UserRow(user, lockout.locked_until(user.id)) for user in users]


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
