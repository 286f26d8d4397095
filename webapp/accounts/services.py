"""Account logic: credentials with lockout, loading the user of a session, password changes."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from webapp import clock
from webapp.accounts import lockout, passwords, policy, sessions
from webapp.accounts.events import security_event
from webapp.accounts.models import User
from webapp.crypto import keyed_hash
from webapp.extensions import db


@dataclass(frozen=True)
class LoginAttempt:
    user: User | None
    ip_throttled: bool = False


def normalize_email(email: str) -> str:
    return email.strip().lower()


def valid_email(email: str) -> str | None:
    """The normalized address, or None when it is not a deliverable-looking address."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: only a live server-side session yields its user."""
    row = sessions.current()
    if row is None or str(row.user_id) != user_id:
        return None
    if not row.user.active:
        sessions.end(row, "account_disabled")
        return None
    if row.user.tenant is not None and row.user.tenant.state == "closed":
        sessions.end(row, "tenant_closed")
        return None
    return row.user


def authenticate(email: str, password: str, ip: str | None) -> LoginAttempt:
    """Check credentials. Unknown account, wrong password and locked account cost the same work
    and give the same answer (None); only a throttled IP is told so."""
    if lockout.ip_throttled(ip):
        passwords.verify_password(None, password)
        return LoginAttempt(None, ip_throttled=True)
    user = find_by_email(email)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    locked = user is not None and lockout.account_locked(user.id)
    if ok and user is not None and user.active and not locked:
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        return LoginAttempt(user)
    just_locked = lockout.register_failure(user.id if user else None, ip)
    unknown = {"email_hmac": keyed_hash("login-email", normalize_email(email))} if user is None else {}
    security_event("login_failed", user, reason="locked" if locked else "credentials", **unknown)
    if just_locked:
        _notify_lock(user)
    return LoginAttempt(None)


def _notify_lock(user: User) -> None:
    from flask_babel import gettext as _

    from webapp.messaging.services import queue_email

    security_event("account_locked", user)
    until = lockout.locked_until(user.id)
    queue_email(user.email, _("Your Bizalom account was locked"),
                _("There were several failed attempts to sign in to your account, so we locked it until "
                  "%(until)s (UTC). If this was not you, change your password afterwards. "
                  "Your administrator can unlock the account sooner.",
                  until=until.strftime("%Y-%m-%d %H:%M") if until else "-"), user_id=user.id)


def password_problems(password: str, user: User | None = None, extra: list[str] | None = None) -> list:
    words = policy.personal_words(*(extra or []))
    if user is not None:
        words += policy.personal_words(user.name, user.email, user.tenant.name if user.tenant else None)
    return policy.check(password, words).problems


def set_password(user: User, password: str, keep_session=None, reason: str = "password_changed") -> None:
    """Store a new password and end every other session of the user."""
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = clock.now()
    sessions.end_all(user.id, reason, keep=keep_session)
    db.session.flush()
    security_event("password_changed", user)


def disable(user: User) -> None:
    user.active = False
    sessions.end_all(user.id, "account_disabled")
    db.session.flush()


def create_user(email: str, name: str, password: str | None, **fields) -> User:
    user = User(email=normalize_email(email), name=name.strip(),
                password_hash=passwords.hash_password(password) if password else None, **fields)
    db.session.add(user)
    db.session.flush()
    return user
