"""Hooks this feature adds to the app (called from webapp.features.register)."""

import logging

from flask import Flask

from webapp.messaging.settings import DEFAULTS

log = logging.getLogger("bizalom.messaging")


def init_app(app: Flask) -> None:
    from webapp.extensions import csrf
    from webapp.messaging import routes

    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    csrf.exempt(routes.sms_status)  # authenticated by its shared secret, called by the provider
    app.register_blueprint(routes.bp)
    if app.config.get("PRODUCTION"):
        unset = [name for name in ("SMTP_HOST", "SMS_DOMESTIC_URL", "SMS_INTERNATIONAL_URL") if not app.config[name]]
        if unset:
            log.warning("messaging uses the local outbox for: %s", ", ".join(unset))
