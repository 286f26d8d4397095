"""After the password (or SSO) comes the second factor on a new device, then the session."""

from __future__ import annotations

from flask import flash, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy import select

from webapp import clock
from webapp.accounts import lockout, sessions
from webapp.accounts.events import security_event
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.http import redirect_to, safe_next
from webapp.twofactor import devices, totp

PENDING = "pending_login"
PENDING_SECONDS = 300
ENROL_REQUIRED = "must_enrol_2fa"


def has_second_factor(user: User) -> bool:
    return totp.is_enrolled(user.id) or bool(user.phone)


def tenant_closed(user: User) -> bool:
    """A closed tenant's users cannot sign in (webapp.tenant_admin.tenant_states)."""
    return user.tenant is not None and user.tenant.state == "closed"


def finish_primary(user: User, method: str, next_url: str | None):
    """Password or SSO succeeded: challenge a new device, or sign in a trusted one."""
    if tenant_closed(user):
        security_event("login_failed", user, reason="tenant_closed")
        flash(_("Your organisation's Bizalom account is closed, so you cannot sign in."), "error")
        return redirect_to(url_for("accounts.login"))
    if has_second_factor(user) and not devices.is_trusted(user.id):
        session.clear()
        session[PENDING] = {"uid": user.id, "at": clock.now().timestamp(), "method": method,
                            "next": safe_next(next_url, "/")}
        return redirect_to(url_for("accounts.verify"))
    return complete(user, method, next_url)


def pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("uid"), int):
        return None
    if clock.now().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.scalar(select(User).where(User.id == pending["uid"]))
    if user is None or not user.active or tenant_closed(user) or lockout.account_locked(user.id):
        return None
    return user


def _count_as_interaction(user: User) -> None:
    """A sign-in is an interaction that counts for the person's lead (it restarts their retention clock)."""
    from webapp.leads import services as leads

    lead = leads.find_by_email(user.email)
    if lead is not None:
        leads.touch(lead)


def complete(user: User, method: str, next_url: str | None, trust_device: bool = False):
    """Start the session (a new id), remember the device if asked, send the user on."""
    sessions.start(user, method)
    login_user(user)
    lockout.register_success(user.id)
    user.last_login_at = clock.now()
    _count_as_interaction(user)
    security_event("login_ok", user, method=method)
    target = safe_next(next_url, "/")
    if user.tenant is not None and user.tenant.require_2fa and not has_second_factor(user):
        session[ENROL_REQUIRED] = True
        target = url_for("twofactor.setup")
    response = redirect_to(target)
    if trust_device:
        devices.trust(user.id, response)
    db.session.flush()
    return response


def complete_pending(trust_device: bool):
    user = pending_user()
    pending = session.get(PENDING, {})
    return complete(user, pending.get("method", "password"), pending.get("next"), trust_device)
