"""Single-use, short-lived e-mail tokens (password reset, e-mail change); only hashes are stored."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from webapp import clock
from webapp.accounts.models import AccountToken
from webapp.crypto import new_token, token_hash
from webapp.extensions import db

LIFETIME = {"password_reset": timedelta(minutes=30), "email_change": timedelta(hours=24)}


def issue(user_id: int, purpose: str, new_email: str | None = None) -> str:
    """A new token; earlier unused tokens of the same purpose stop working."""
    db.session.execute(update(AccountToken).where(
        AccountToken.user_id == user_id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=clock.now()))
    token = new_token()
    db.session.add(AccountToken(token_hash=token_hash(token), user_id=user_id, purpose=purpose,
                                new_email=new_email, expires_at=clock.now() + LIFETIME[purpose]))
    db.session.flush()
    return token


def find_valid(token: str, purpose: str) -> AccountToken | None:
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == token_hash(token)))
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= clock.now():
        return None
    return row


def consume(row: AccountToken) -> None:
    row.used_at = clock.now()
    db.session.flush()
