"""Wires the subject reports into the app: routes, and a template helper for the request console."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.reports import routes, services

    app.register_blueprint(routes.bp)
    app.jinja_env.globals["subject_reports_of"] = services.of_request
