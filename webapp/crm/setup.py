"""Hooks of the CRM screens beyond contacts (called from webapp.features.register): companies, settings."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from webapp.crm import company_routes, settings_routes

COMPANY_LABELS = {"website": _l("Website"), "phone": _l("Phone"), "street": _l("Street address"),
                  "postcode": _l("Postcode")}


def init_app(app: Flask) -> None:
    from webapp.audit import registry
    from webapp.crm.models import Company, Contact

    registry.spec_for(Company).labels.update(COMPANY_LABELS)  # columns added by migration 0012
    registry.spec_for(Contact).labels.setdefault("email_key", _l("E-mail address (unique key)"))
    app.register_blueprint(company_routes.bp)
    app.register_blueprint(settings_routes.bp)
