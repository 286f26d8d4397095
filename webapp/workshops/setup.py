"""Workshop wiring."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.workshops import routes

    app.register_blueprint(routes.bp)
