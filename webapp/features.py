"""Wires the feature packages into the app: blueprints, CLI, hooks, error pages."""

from __future__ import annotations

from flask import Flask


def init_i18n(app: Flask, babel) -> None:
    from webapp.i18n.services import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def register(app: Flask) -> None:
    from webapp import authz, errors, security, templating, tenancy
    from webapp.accounts import account_routes, reset_routes
    from webapp.accounts import routes as accounts_routes
    from webapp.accounts.services import load_user
    from webapp.activities import setup as activities_setup
    from webapp.analytics import setup as analytics_setup
    from webapp.audit import setup as audit_setup
    from webapp.backups import setup as backups_setup
    from webapp.billing import setup as billing_setup
    from webapp.calls import setup as calls_setup
    from webapp.consent import setup as consent_setup
    from webapp.crm import routes as crm_routes
    from webapp.crm import setup as crm_setup
    from webapp.customfields import setup as customfields_setup
    from webapp.demo import cli as demo_cli
    from webapp.dsr import routes as dsr_routes
    from webapp.exports import setup as exports_setup
    from webapp.extensions import login_manager
    from webapp.health import routes as health_routes
    from webapp.i18n import routes as i18n_routes
    from webapp.imports import setup as imports_setup
    from webapp.integrations import routes as integrations_routes
    from webapp.jobs import cli as jobs_cli
    from webapp.jobs import routes as jobs_routes
    from webapp.jobs import services as jobs_services
    from webapp.leads import setup as leads_setup
    from webapp.messaging import setup as messaging_setup
    from webapp.models import import_all
    from webapp.mydata import routes as mydata_routes
    from webapp.newsletter import setup as newsletter_setup
    from webapp.processing import setup as processing_setup
    from webapp.profiles import setup as profiles_setup
    from webapp.public import routes as public_routes
    from webapp.reports import setup as reports_setup
    from webapp.retention import setup as retention_setup
    from webapp.seclog import setup as seclog_setup
    from webapp.segments import setup as segments_setup
    from webapp.site import setup as site_setup
    from webapp.sso import setup as sso_setup
    from webapp.staff import routes as staff_routes
    from webapp.tenant_admin import routes as tenant_admin_routes
    from webapp.transfers import routes as transfers_routes
    from webapp.trials import setup as trials_setup
    from webapp.twofactor import routes as twofactor_routes
    from webapp.widgets import setup as widgets_setup
    from webapp.workshops import setup as workshops_setup

    import_all()
    from webapp.http import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
    tenancy.install()
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    for blueprint in (
        public_routes.bp,
        health_routes.bp,
        i18n_routes.bp,
        accounts_routes.bp,
        reset_routes.bp,
        account_routes.bp,
        twofactor_routes.bp,
        tenant_admin_routes.bp,
        staff_routes.bp,
        crm_routes.bp,
        jobs_routes.bp,
    ):
        app.register_blueprint(blueprint)
    app.cli.add_command(demo_cli.demo)
    app.cli.add_command(jobs_cli.jobs)
    authz.policy.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    jobs_services.init_app(app)
    messaging_setup.init_app(app)
    seclog_setup.init_app(app)
    sso_setup.init_app(app)
    imports_setup.init_app(app)
    exports_setup.init_app(app)
    audit_setup.init_app(app)
    crm_setup.init_app(app)
    activities_setup.init_app(app)
    customfields_setup.init_app(app)
    backups_setup.init_app(app)
    billing_setup.init_app(app)
    newsletter_setup.init_app(app)
    workshops_setup.init_app(app)
    profiles_setup.init_app(app)
    calls_setup.init_app(app)
    segments_setup.init_app(app)
    trials_setup.init_app(app)
    widgets_setup.init_app(app)
    app.register_blueprint(transfers_routes.bp)
    app.register_blueprint(mydata_routes.bp)
    app.register_blueprint(integrations_routes.bp)
    leads_setup.init_app(app)
    app.register_blueprint(dsr_routes.bp)
    reports_setup.init_app(app)
    consent_setup.init_app(app)
    site_setup.init_app(app)
    analytics_setup.init_app(app)
    processing_setup.init_app(app)
    retention_setup.init_app(app)
    from webapp.erasure import setup as erasure_setup

    erasure_setup.init_app(app)
