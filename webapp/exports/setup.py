"""Hooks this feature adds to the app (called from webapp.features.register)."""

from __future__ import annotations

from flask import Flask

from webapp.exports.services import DEFAULT_LINK_HOURS


def init_app(app: Flask) -> None:
    from webapp.exports import routes

    app.config.setdefault("EXPORT_LINK_HOURS", DEFAULT_LINK_HOURS)
    app.register_blueprint(routes.bp)
