"""SSO identities: look up, link (never by e-mail), unlink, and who may sign in with one."""

from __future__ import annotations

from enum import Enum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp import clock
from webapp.accounts import lockout
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.sso.models import SsoIdentity


class LinkOutcome(Enum):
    LINKED = "linked"
    ALREADY_YOURS = "already_yours"
    TAKEN = "taken"  # linked to another account: refused


def identity_for(provider: str, subject: str) -> SsoIdentity | None:
    return db.session.scalar(select(SsoIdentity).where(SsoIdentity.provider == provider,
                                                       SsoIdentity.subject == subject))


def identities_of(user_id: int) -> list[SsoIdentity]:
    return list(db.session.scalars(select(SsoIdentity).where(SsoIdentity.user_id == user_id)
                                   .order_by(SsoIdentity.provider, SsoIdentity.created_at, SsoIdentity.id)))


def user_of(identity: SsoIdentity | None) -> User | None:
    return db.session.get(User, identity.user_id) if identity is not None else None


def may_sign_in(user: User) -> bool:
    return user.active and not lockout.account_locked(user.id)


def link(user: User, provider: str, subject: str) -> LinkOutcome:
    """Link (provider, subject) to ``user``, unless it already belongs to someone."""
    existing = identity_for(provider, subject)
    if existing is not None:
        return LinkOutcome.ALREADY_YOURS if existing.user_id == user.id else LinkOutcome.TAKEN
    try:
        with db.session.begin_nested():  # a concurrent link of the same identity loses cleanly
            db.session.add(SsoIdentity(user_id=user.id, provider=provider, subject=subject))
    except IntegrityError:
        winner = identity_for(provider, subject)
        return LinkOutcome.ALREADY_YOURS if winner is not None and winner.user_id == user.id else LinkOutcome.TAKEN
    return LinkOutcome.LINKED


def unlink(user_id: int, identity_id: int) -> SsoIdentity | None:
    """Remove one of the user's own identities; None when it is not theirs (or does not exist)."""
    identity = db.session.scalar(select(SsoIdentity).where(SsoIdentity.id == identity_id,
                                                           SsoIdentity.user_id == user_id))
    if identity is not None:
        db.session.delete(identity)
        db.session.flush()
    return identity


def record_login(identity: SsoIdentity) -> None:
    identity.last_login_at = clock.now()
    db.session.flush()
