"""Embeddable sign-up widgets: a cookie-free form token, the allowed embedding sites, spam brakes."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from webapp import clock, crypto, ratelimit
from webapp.extensions import db
from webapp.widgets.models import WidgetOrigin

KINDS = ("newsletter", "workshop", "trial")
TOKEN_MAX_AGE = 2 * 3600  # a form left open longer asks to reload
TOKEN_MIN_AGE = 2  # people take longer than this to fill in a form; scripts do not
PER_SOURCE_PER_HOUR = 10
PER_KIND_PER_MINUTE = 60


class TokenRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "missing", "expired", "too_fast", "forged"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="bizalom-widget-form")


def form_token(kind: str, origin: str | None) -> str:
    """Stands in for the CSRF token: the widget lives in other sites' pages, where our cookies are not sent.

    It also carries the embedding site, known only when the frame is loaded (later requests come
    from the frame itself).
    """
    return _serializer().dumps({"k": kind, "o": origin, "n": crypto.new_token(8)})


def check_token(kind: str, token: str | None) -> str | None:
    """The embedding site the token was issued for; TokenRefused if the token does not hold."""
    if not token or len(token) > 300:
        raise TokenRefused("missing")
    try:
        data, issued = _serializer().loads(token, max_age=TOKEN_MAX_AGE, return_timestamp=True)
    except SignatureExpired as exc:
        raise TokenRefused("expired") from exc
    except BadSignature as exc:
        raise TokenRefused("forged") from exc
    if not isinstance(data, dict) or data.get("k") != kind:
        raise TokenRefused("forged")
    if (clock.now() - issued).total_seconds() < TOKEN_MIN_AGE:
        raise TokenRefused("too_fast")
    origin = data.get("o")
    return origin if origin in allowed_origins() else None


def allowed_origins() -> list[str]:
    return list(db.session.scalars(select(WidgetOrigin.origin).order_by(WidgetOrigin.origin)))


def normalize_origin(value: str) -> str | None:
    """``https://shop.example.com`` from what staff type; None if it is not a plain web origin."""
    value = (value or "").strip()
    if len(value) > 200:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def embedding_origin() -> str | None:
    """The allowed site the form is embedded in, from the Referer the browser sends (else None)."""
    origin = normalize_origin(_origin_of(request.referrer or ""))
    return origin if origin in allowed_origins() else None


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def within_limits(kind: str) -> bool:
    """Ten sign-ups an hour from one network address, sixty a minute per widget in all."""
    source = crypto.keyed_hash("widget-source", request.remote_addr or "unknown")[:32]
    return (ratelimit.hit(f"widget:{kind}", 60, PER_KIND_PER_MINUTE)
            and ratelimit.hit(f"widget-src:{source}", 3600, PER_SOURCE_PER_HOUR))


def add_origin(value: str, user_id: int | None) -> WidgetOrigin | None:
    origin = normalize_origin(value)
    if origin is None:
        return None
    existing = db.session.scalars(select(WidgetOrigin).where(WidgetOrigin.origin == origin)).first()
    if existing is not None:
        return existing
    row = WidgetOrigin(origin=origin, added_by_id=user_id)
    db.session.add(row)
    db.session.flush()
    return row


def remove_origin(origin_id: int) -> bool:
    row = db.session.get(WidgetOrigin, origin_id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def allowed_origin_rows() -> list[WidgetOrigin]:
    return list(db.session.scalars(select(WidgetOrigin).order_by(WidgetOrigin.origin)))
