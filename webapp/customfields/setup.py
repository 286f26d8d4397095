"""Hooks of the custom-fields feature (called from webapp.features.register)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.customfields import listing, routes, services

    app.register_blueprint(routes.bp)
    app.add_template_global(services.shown_values, "custom_field_values")
    app.add_template_global(listing.sort_options, "custom_sort_options")
    app.add_template_global(listing.filter_inputs, "custom_filter_inputs")
