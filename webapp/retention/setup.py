"""Wires retention into the app: the dashboard blueprint and ``flask retention``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.retention.cli import retention
    from webapp.retention.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(retention)
