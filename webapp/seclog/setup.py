"""Hooks this feature adds to the app (called from webapp.features.register).

* after every request (except static files and the health probes): send the browser cookie id
  when the browser has none, log the access of a signed-in user, and send this request's entries;
* the ``flask seclog`` command group.
"""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_login import current_user

from webapp.seclog import browser, services

log = logging.getLogger("bizalom.seclog")
SKIPPED_PATHS = frozenset({"/healthz", "/readyz"})


def _skipped() -> bool:
    endpoint = request.endpoint or ""
    return request.path in SKIPPED_PATHS or endpoint == "static" or endpoint.endswith(".static")


def _access_entries(status: int) -> list:
    if not current_user.is_authenticated:
        return []
    kind = "access_denied" if status == 403 else "access"
    return [services.make_entry(kind, status=status)]


def log_request(response):
    """after_request: cookie id, access entry, and one send of this request's entries."""
    try:
        extra = []
        if not _skipped():
            extra = _access_entries(response.status_code)
        services.flush_request(extra)
        if not _skipped():
            browser.set_cookie(response)
    except Exception:  # the security log must never break a response
        log.exception("security log: request entries not sent")
    return response


def init_app(app: Flask) -> None:
    from webapp.seclog.cli import seclog

    app.after_request(log_request)
    app.cli.add_command(seclog)
