"""Account logic: loading users for the session, checking credentials."""

from __future__ import annotations

from sqlalchemy import select

from webapp import clock
from webapp.accounts import passwords
from webapp.accounts.models import User
from webapp.extensions import db


def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; the same work is done either way."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = clock.now()
    db.session.flush()
    return user


def create_user(email: str, name: str, password: str | None, **fields) -> User:
    user = User(email=normalize_email(email), name=name.strip(),
                password_hash=passwords.hash_password(password) if password else None, **fields)
    db.session.add(user)
    db.session.flush()
    return user
