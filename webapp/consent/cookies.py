"""The consent cookie: a pseudonymous random id, signed, in a first-party cookie.

A forged or tampered cookie fails the signature check and counts as no consent; a well-signed id
with no decision on the server counts as no consent too. Withdrawal clears the first-party
cookies of the refused categories (third-party cookies live on other domains: out of our reach).
"""

from __future__ import annotations

import re
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, Signer

COOKIE_NAME = "consent"
_ID = re.compile(r"[A-Za-z0-9_-]{22}")
MAX_COOKIE_CHARS = 200


def cookie_name() -> str:
    return f"__Host-{COOKIE_NAME}" if current_app.config.get("PRODUCTION") else COOKIE_NAME


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt="consent-id")


def new_consent_id() -> str:
    return secrets.token_urlsafe(16)


def sign(consent_id: str) -> str:
    return _signer().sign(consent_id).decode()


def read_consent_id() -> str | None:
    """The consent id of this request's cookie, or None if absent, oversized, forged or malformed."""
    raw = request.cookies.get(cookie_name(), "")
    if not raw or len(raw) > MAX_COOKIE_CHARS:
        return None
    try:
        value = _signer().unsign(raw).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    return value if _ID.fullmatch(value) else None


def set_consent_cookie(response, consent_id: str) -> None:
    days = current_app.config["CONSENT_MAX_AGE_DAYS"]
    response.set_cookie(cookie_name(), sign(consent_id), max_age=days * 24 * 3600, path="/", httponly=True,
                        samesite="Lax", secure=bool(current_app.config.get("PRODUCTION")))
    response.vary.add("Cookie")


def clear_cookies(response, patterns) -> list[str]:
    """Expire every cookie of this request matching a name or ``prefix*``; returns the names cleared."""
    cleared = []
    for name in request.cookies:
        if any(name.startswith(p[:-1]) if p.endswith("*") else name == p for p in patterns):
            secure = name.startswith("__Host-") or bool(current_app.config.get("PRODUCTION"))
            response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="Lax")
            cleared.append(name)
    return sorted(cleared)
