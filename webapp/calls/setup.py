"""Call log wiring: the blueprint and the retention target (clock: when the call started)."""

from __future__ import annotations

from flask import Flask

from webapp.retention.registry import Target, register

CALL_TARGET = Target(name="call_logs", category="call_metadata", table="call_logs",
                     clocks={"created_at": "started_at", "last_contact": "started_at"})


def init_app(app: Flask) -> None:
    from webapp.calls import routes

    register(CALL_TARGET)
    app.register_blueprint(routes.bp)
