"""Inviting people into a tenant: a single-use link by e-mail, valid for 7 days.

``invite`` never tells the admin whether an address has an account elsewhere (that would let
any tenant admin probe who uses Bizalom): such an address gets an e-mail without a link, and the
admin sees the same "invitation sent" as for a new address. Only an address already in the
admin's own tenant, which the admin can see anyway, is refused with a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import exc, select, update

from webapp import clock
from webapp.accounts import services as accounts
from webapp.accounts.events import security_event
from webapp.accounts.models import User
from webapp.crypto import new_token, token_hash
from webapp.extensions import db
from webapp.messaging.services import queue_email
from webapp.tenant_admin.models import Invitation
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import Tenant

LIFETIME = timedelta(days=7)


class AlreadyRegistered(Exception):
    """The invited address got an account meanwhile; no second one is created."""


class Gone(Exception):
    """The invitation was used, withdrawn or has expired."""


@dataclass(frozen=True)
class Lookup:
    invitation: Invitation | None
    status: str  # "valid", "gone" (410) or "unknown" (404)


def pending_for(tenant_id: int) -> list[Invitation]:
    return list(db.session.scalars(select(Invitation).where(
        Invitation.tenant_id == tenant_id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
        Invitation.expires_at > clock.now()).order_by(Invitation.created_at, Invitation.id)))


def _withdraw_earlier(tenant_id: int, email: str) -> None:
    db.session.execute(update(Invitation).where(
        Invitation.tenant_id == tenant_id, Invitation.email == email, Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None)).values(revoked_at=clock.now()))


def invite(actor: User, email: str, name: str, role: str) -> Invitation:
    """Invite ``email`` (already validated) into the actor's tenant; earlier invitations lapse."""
    email = accounts.normalize_email(email)
    existing = accounts.find_by_email(email)
    if existing is not None and existing.tenant_id == actor.tenant_id:
        raise Refused(_("%(email)s already has an account in your organisation.", email=email))
    _withdraw_earlier(actor.tenant_id, email)
    token = new_token()
    row = Invitation(tenant_id=actor.tenant_id, email=email, name=name.strip(), role=role,
                     token_hash=token_hash(token), invited_by_id=actor.id, expires_at=clock.now() + LIFETIME)
    db.session.add(row)
    db.session.flush()
    _send(row, actor, None if existing is not None else token)
    security_event("user_invited", actor, invitation_id=row.id, role=role)
    return row


def _send(row: Invitation, actor: User, token: str | None) -> None:
    tenant = actor.tenant.name
    if token is None:
        body = _("%(admin)s invited you to join %(tenant)s on Bizalom. Your address already belongs to a Bizalom "
                 "account, and one address can belong to only one account, so no new account was created. "
                 "If you want to join, ask %(admin)s to invite another address of yours.",
                 admin=actor.name, tenant=tenant)
    else:
        link = url_for("tenant_admin.invitations.accept", token=token, _external=True)
        body = _("%(admin)s invited you to join %(tenant)s on Bizalom. To choose your password and start, "
                 "open this link within 7 days:\n\n%(link)s\n\nThe link works once. If you did not expect "
                 "this invitation, ignore this message.", admin=actor.name, tenant=tenant, link=link)
    queue_email(row.email, _("Invitation to %(tenant)s on Bizalom", tenant=tenant), body)


def find(token: str) -> Lookup:
    if not token or len(token) > 100:
        return Lookup(None, "unknown")
    row = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if row is None:
        return Lookup(None, "unknown")
    if row.accepted_at or row.revoked_at or row.expires_at <= clock.now() or _tenant_closed(row):
        return Lookup(row, "gone")
    return Lookup(row, "valid")


def _tenant_closed(row: Invitation) -> bool:
    return db.session.get(Tenant, row.tenant_id).state == "closed"


def accept(row: Invitation, name: str, password: str) -> User:
    """Create the invited account; the invitation is claimed first, so it works only once."""
    claimed = db.session.execute(update(Invitation).where(
        Invitation.id == row.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=clock.now())).rowcount
    if claimed != 1:
        raise Gone()
    if accounts.find_by_email(row.email) is not None:
        raise AlreadyRegistered()
    try:
        with db.session.begin_nested():
            user = accounts.create_user(row.email, name, password, tenant_id=row.tenant_id, role=row.role)
    except exc.IntegrityError:
        raise AlreadyRegistered() from None
    row.user_id = user.id
    db.session.flush()
    security_event("invitation_accepted", user, invitation_id=row.id)
    return user


def withdraw(actor: User, invitation_id: int) -> bool:
    row = db.session.get(Invitation, invitation_id)
    if row is None or row.tenant_id != actor.tenant_id:
        return False
    if row.accepted_at is None and row.revoked_at is None:
        row.revoked_at = clock.now()
        db.session.flush()
        security_event("invitation_withdrawn", actor, invitation_id=row.id)
    return True
