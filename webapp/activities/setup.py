"""Hooks of the notes-and-tasks feature (called from webapp.features.register)."""

from __future__ import annotations

from flask import Flask

from webapp.activities import cascade, routes
from webapp.activities import records as _records  # noqa: F401 - registers notes and tasks as audited


def init_app(app: Flask) -> None:
    cascade.install()
    app.register_blueprint(routes.bp)
    app.add_template_global(routes.activity_section, "record_activity")
