"""Hooks this feature adds to the app (called from webapp.features.register)."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from webapp.imports import settings

UPLOAD_ENDPOINT = "imports.upload"
FORM_OVERHEAD = 64 * 1024  # multipart boundaries, the CSRF token and the encoding choice


def raise_upload_limit() -> None:
    """The upload route of a tenant member accepts IMPORT_MAX_BYTES instead of MAX_CONTENT_LENGTH.

    Runs before the CSRF check, which is the first to read the body; anyone else, and every other
    route, keeps the app-wide limit (a larger body gets the localized 413 page)."""
    if request.endpoint != UPLOAD_ENDPOINT or request.method != "POST":
        return
    from webapp.authz.policy import permits

    if permits("tenant_member", current_user):
        request.max_content_length = settings.whole("IMPORT_MAX_BYTES") + FORM_OVERHEAD


def _before_body_is_read(app: Flask, hook) -> None:
    hooks = app.before_request_funcs.setdefault(None, [])
    position = next((i for i, f in enumerate(hooks) if getattr(f, "__name__", "") == "csrf_protect"), 0)
    hooks.insert(position, hook)


def init_app(app: Flask) -> None:
    from webapp.imports import routes

    for name, value in settings.DEFAULTS.items():
        app.config.setdefault(name, value)
    app.register_blueprint(routes.bp)
    _before_body_is_read(app, raise_upload_limit)
