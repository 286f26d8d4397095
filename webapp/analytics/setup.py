"""Hooks of analytics (called from webapp.features.register): the collector and the dashboard."""

from __future__ import annotations

from flask import Flask

from webapp.analytics import cli, collector, retention, routes


def init_app(app: Flask) -> None:
    collector.init_app(app)
    app.register_blueprint(routes.bp)
    app.cli.add_command(cli.analytics)
    retention.register()
