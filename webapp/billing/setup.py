"""Billing wiring: blueprints, the immutability guard, the money filter."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask_babel import format_currency

from webapp.billing.plans import PLANS


def money(cents: int, currency: str = "HUF") -> str:
    return format_currency(Decimal(cents) / 100, currency)


def init_app(app: Flask) -> None:
    from webapp.billing import invoices, retention, routes, staff_routes

    invoices.install_guard()
    retention.register_target()
    app.register_blueprint(routes.bp)
    app.register_blueprint(staff_routes.bp)
    app.add_template_filter(money, "money")
    app.add_template_global(PLANS, "billing_plans")
