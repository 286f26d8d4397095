"""Wires the public website, privacy notices and sub-processor registry into the app."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.notices import routes as notice_routes
    from webapp.notices import staff_routes as notice_staff_routes
    from webapp.site import cli, routes
    from webapp.subprocessors import routes as subprocessor_routes

    for blueprint in (routes.bp, routes.staff_bp, notice_routes.bp, notice_staff_routes.bp,
                      subprocessor_routes.bp, subprocessor_routes.staff_bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(cli.site)
