"""Sensitive changes (e-mail, phone, second factors, password) need a recent sign-in."""

from __future__ import annotations

import functools

from flask import request, url_for

from webapp.accounts import sessions
from webapp.http import redirect_to

REAUTH_SECONDS = 300


def require_recent_auth(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if sessions.seconds_since_authentication() > REAUTH_SECONDS:
            target = request.full_path if request.method == "GET" else request.referrer or request.path
            return redirect_to(url_for("account.reauth", next=target))
        return view(*args, **kwargs)

    return wrapper
