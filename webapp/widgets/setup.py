"""Widget wiring: the embed route checks its own signed token (no cookies in third-party frames)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.extensions import csrf
    from webapp.widgets import cli, routes

    app.register_blueprint(routes.bp)
    app.cli.add_command(cli.widgets)
    csrf.exempt(routes.frame)
