"""Wires erasure into the app: the confirmation route and ``flask erasure``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.erasure.cli import erasure
    from webapp.erasure.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(erasure)
