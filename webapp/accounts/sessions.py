"""Server-side session records: one row per signed-in browser, listed and ended by their owner.

The Flask cookie carries a random token; the row stores only its SHA-256. A session ends after
SESSION_IDLE_MINUTES without requests or SESSION_ABSOLUTE_HOURS after login, on logout, when
its owner ends it, and when the password changes or the account is disabled.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request, session
from sqlalchemy import select, update
from ua_parser import parse as parse_user_agent

from webapp import clock
from webapp.accounts.models import User, UserSession
from webapp.crypto import new_token, token_hash
from webapp.extensions import db

SESSION_KEY = "sid"
TOUCH_EVERY = timedelta(minutes=1)


def device_label(user_agent: str | None) -> str:
    parsed = parse_user_agent((user_agent or "")[:512])
    browser = parsed.user_agent.family if parsed.user_agent else None
    system = parsed.os.family if parsed.os else None
    label = " · ".join(part for part in (browser, system) if part and part != "Other")
    return label[:120] or "Unknown device"


def start(user: User, method: str) -> UserSession:
    """A fresh session: the old cookie contents are dropped, a new token is issued."""
    session.clear()
    token = new_token()
    now = clock.now()
    row = UserSession(token_hash=token_hash(token), user_id=user.id, auth_method=method,
                      device_label=device_label(request.headers.get("User-Agent")), created_at=now, last_seen_at=now)
    db.session.add(row)
    db.session.flush()
    session[SESSION_KEY] = token
    session["auth_at"] = now.timestamp()
    session.permanent = True
    g.user_session = row
    return row


def _expired(row: UserSession) -> str | None:
    now = clock.now()
    if now - row.last_seen_at > timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]):
        return "idle_timeout"
    if now - row.created_at > timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]):
        return "absolute_timeout"
    return None


def current() -> UserSession | None:
    """The live session of this request, or None (expired ones are ended on the way)."""
    if "user_session" in g:
        return g.user_session
    token = session.get(SESSION_KEY)
    row = None
    if isinstance(token, str):
        row = db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))
    if row is not None and row.ended_at is None:
        reason = _expired(row)
        if reason:
            end(row, reason)
            db.session.commit()  # request plumbing, before the view runs (see authz.enforce)
            row = None
        elif clock.now() - row.last_seen_at > TOUCH_EVERY:
            row.last_seen_at = clock.now()
            db.session.commit()
    else:
        row = None
    g.user_session = row
    return row


def end(row: UserSession, reason: str) -> None:
    if row.ended_at is None:
        row.ended_at, row.end_reason = clock.now(), reason
        db.session.flush()


def end_all(user_id: int, reason: str, keep: UserSession | None = None) -> int:
    statement = update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    return db.session.execute(statement.values(ended_at=clock.now(), end_reason=reason)).rowcount


def active_for(user_id: int) -> list[UserSession]:
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user_id,
                                                        UserSession.ended_at.is_(None))
                              .order_by(UserSession.last_seen_at.desc())).all()
    return [row for row in rows if _expired(row) is None]


def seconds_since_authentication() -> float:
    started = session.get("auth_at")
    return clock.now().timestamp() - started if isinstance(started, int | float) else float("inf")


def mark_reauthenticated() -> None:
    session["auth_at"] = clock.now().timestamp()
