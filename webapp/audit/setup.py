"""Hooks of the audit feature (called from webapp.features.register).

* the session hooks that record every change of an audited record (``capture``, ``bulk``);
* before each request, the signed-in user becomes the actor of that request's changes;
* the template global ``audit_trail(record_type, record_id)`` for record pages;
* the ``/audit`` and ``/trash`` pages.
"""

from __future__ import annotations

from flask import Flask

from webapp.audit import bulk, capture, context, routes, services
from webapp.audit import records as _records  # noqa: F401 - registers the CRM record types


def init_app(app: Flask) -> None:
    capture.install()
    bulk.install()
    app.before_request(context.actor_from_request)
    app.add_template_global(services.trail_for, "audit_trail")
    app.register_blueprint(routes.bp)
    app.register_blueprint(routes.trash_bp)
