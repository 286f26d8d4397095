"""Trial wiring."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.trials import retention, routes

    app.register_blueprint(routes.bp)
    retention.register_target()
