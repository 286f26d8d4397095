"""Brute-force protection: counters per account and per IP address, kept in the database.

An account locks after LOCKOUT_ACCOUNT_FAILURES failures within LOCKOUT_WINDOW_MINUTES; each
further lock doubles the cool-off (capped at a day). An IP address is throttled after
LOCKOUT_IP_FAILURES failures in the window. IPs are stored only as a keyed hash.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from webapp import clock
from webapp.accounts.models import LoginThrottle
from webapp.crypto import keyed_hash
from webapp.extensions import db

MAX_COOL_OFF = timedelta(days=1)


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])


def ip_key(ip: str | None) -> str:
    return keyed_hash("login-ip", ip or "unknown")


def _row(kind: str, key: str, create: bool = False) -> LoginThrottle | None:
    row = db.session.scalar(select(LoginThrottle).where(LoginThrottle.kind == kind, LoginThrottle.key == key))
    if row is None and create:
        row = LoginThrottle(kind=kind, key=key, failures=0, lock_count=0, window_started_at=clock.now())
        db.session.add(row)
    return row


def _locked(row: LoginThrottle | None) -> bool:
    return row is not None and row.locked_until is not None and row.locked_until > clock.now()


def account_locked(user_id: int) -> bool:
    return _locked(_row("account", str(user_id)))


def ip_throttled(ip: str | None) -> bool:
    return _locked(_row("ip", ip_key(ip)))


def locked_until(user_id: int):
    row = _row("account", str(user_id))
    return row.locked_until if _locked(row) else None


def _count_failure(row: LoginThrottle, threshold: int) -> bool:
    """Add one failure; True when this failure locks the row."""
    now = clock.now()
    if now - row.window_started_at > _window():
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures < threshold or _locked(row):
        return False
    row.locked_until = now + min(_window() * (2 ** row.lock_count), MAX_COOL_OFF)
    row.lock_count += 1
    row.failures, row.window_started_at = 0, now
    return True


def register_failure(user_id: int | None, ip: str | None) -> bool:
    """Count a failed login; True when it just locked the account."""
    config = current_app.config
    _count_failure(_row("ip", ip_key(ip), create=True), config["LOCKOUT_IP_FAILURES"])
    locked = False
    if user_id is not None:
        locked = _count_failure(_row("account", str(user_id), create=True), config["LOCKOUT_ACCOUNT_FAILURES"])
    db.session.flush()
    return locked


def register_success(user_id: int) -> None:
    row = _row("account", str(user_id))
    if row is not None:
        row.failures, row.lock_count, row.locked_until = 0, 0, None
        db.session.flush()


def unlock(user_id: int) -> bool:
    row = _row("account", str(user_id))
    if not _locked(row):
        return False
    row.locked_until, row.failures = None, 0
    db.session.flush()
    return True
