"""The browser cookie id: a pseudonymous random id in a first-party cookie.

It lets the security log tell one browser's requests from another's without an IP address or
a user agent. HttpOnly, SameSite=Lax, Secure and ``__Host-`` prefixed in production.
"""

from __future__ import annotations

import re
import secrets

from flask import current_app, g, request

COOKIE_NAME = "bid"
MAX_AGE = 365 * 24 * 3600
_VALID = re.compile(r"[A-Za-z0-9_-]{22}")


def cookie_name() -> str:
    return f"__Host-{COOKIE_NAME}" if current_app.config.get("PRODUCTION") else COOKIE_NAME


def browser_id() -> str:
    """This request's browser id: the cookie's, or a new one (sent back by ``set_cookie``)."""
    if "seclog_browser_id" not in g:
        sent = request.cookies.get(cookie_name(), "")
        g.seclog_browser_id = sent if _VALID.fullmatch(sent) else secrets.token_urlsafe(16)
        g.seclog_browser_id_new = g.seclog_browser_id != sent
    return g.seclog_browser_id


def set_cookie(response) -> None:
    """Send the cookie when this request logged something and the browser has none (or a malformed one).

    Anonymous browsing logs nothing, so it gets no cookie; a sign-in attempt or a signed-in
    request does (the cookie is then strictly necessary for the security of the account)."""
    if "seclog_browser_id" not in g or not g.seclog_browser_id_new:
        return
    response.set_cookie(cookie_name(), g.seclog_browser_id, max_age=MAX_AGE, path="/", httponly=True,
                        samesite="Lax", secure=bool(current_app.config.get("PRODUCTION")))
    response.vary.add("Cookie")
