"""Newsletter wiring."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.extensions import csrf
    from webapp.newsletter import routes, staff_routes

    app.register_blueprint(routes.bp)
    app.register_blueprint(staff_routes.bp)
    csrf.exempt(routes.unsubscribe)  # RFC 8058 one-click POSTs carry no token; the signed link is the proof
