"""Hooks this feature adds to the app (called from webapp.features.register)."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user


def _providers() -> list:
    from webapp.sso import providers

    return list(providers.configured().values())


def _identities() -> list:
    from webapp.sso import services

    return services.identities_of(current_user.id) if current_user.is_authenticated else []


def _label(name: str):
    from webapp.sso import providers

    return providers.label_of(name)


def init_app(app: Flask) -> None:
    from webapp.sso import routes

    app.register_blueprint(routes.bp)
    app.add_template_global(_providers, "sso_providers")
    app.add_template_global(_identities, "sso_identities")
    app.add_template_global(_label, "sso_label")
