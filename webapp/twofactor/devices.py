"""Trusted devices: a signed HttpOnly cookie bound to the user lets a browser skip the 2FA challenge."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from webapp import clock
from webapp.accounts.sessions import device_label
from webapp.crypto import new_token, token_hash
from webapp.extensions import db
from webapp.twofactor.models import TrustedDevice

COOKIE = "trusted_device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="trusted-device")


def _lifetime() -> timedelta:
    return timedelta(days=current_app.config["TRUSTED_DEVICE_DAYS"])


def cookie_name() -> str:
    return ("__Host-" if current_app.config["PRODUCTION"] else "") + COOKIE


def trust(user_id: int, response) -> TrustedDevice:
    token = new_token()
    row = TrustedDevice(user_id=user_id, token_hash=token_hash(token),
                        label=device_label(request.headers.get("User-Agent")),
                        expires_at=clock.now() + _lifetime())
    db.session.add(row)
    db.session.flush()
    value = _serializer().dumps({"u": user_id, "t": token})
    response.set_cookie(cookie_name(), value, max_age=int(_lifetime().total_seconds()), httponly=True,
                        secure=current_app.config["PRODUCTION"], samesite="Lax", path="/")
    return row


def is_trusted(user_id: int) -> bool:
    """True when this browser carries a valid, unrevoked trust cookie for this very user."""
    raw = request.cookies.get(cookie_name())
    if not raw:
        return False
    try:
        payload = _serializer().loads(raw, max_age=int(_lifetime().total_seconds()))
    except BadSignature:
        return False
    if not isinstance(payload, dict) or payload.get("u") != user_id or not isinstance(payload.get("t"), str):
        return False
    row = db.session.scalar(select(TrustedDevice).where(TrustedDevice.token_hash == token_hash(payload["t"])))
    if row is None or row.user_id != user_id or row.revoked_at is not None or row.expires_at <= clock.now():
        return False
    row.last_used_at = clock.now()
    return True


def active_for(user_id: int) -> list[TrustedDevice]:
    return list(db.session.scalars(select(TrustedDevice).where(
        TrustedDevice.user_id == user_id, TrustedDevice.revoked_at.is_(None),
        TrustedDevice.expires_at > clock.now()).order_by(TrustedDevice.created_at.desc())))


def revoke(user_id: int, device_id: int) -> bool:
    result = db.session.execute(update(TrustedDevice).where(
        TrustedDevice.id == device_id, TrustedDevice.user_id == user_id, TrustedDevice.revoked_at.is_(None))
        .values(revoked_at=clock.now()))
    return result.rowcount == 1


def revoke_all(user_id: int) -> int:
    return db.session.execute(update(TrustedDevice).where(
        TrustedDevice.user_id == user_id, TrustedDevice.revoked_at.is_(None)).values(revoked_at=clock.now())).rowcount
