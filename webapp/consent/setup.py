"""Wires consent into the app: blueprints, template globals, the GPC and customer-marker hooks."""

from __future__ import annotations

from flask import Flask, current_app, g, request, url_for

from webapp.consent import catalogue, cookies, routes, services, staff_routes, tags

SKIP_ENDPOINTS = {"static", "health.healthz", "health.readyz"}
REGISTRY_PATH = "/subprocessors"


def registry_url() -> str | None:
    """The public sub-processor registry (built by its own feature), when it is installed."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule == REGISTRY_PATH and "GET" in (rule.methods or ()) and not rule.arguments:
            return url_for(rule.endpoint)
    return None


def show_banner() -> bool:
    return request.endpoint not in ("consent.settings", "consent.save_settings") \
        and bool(services.prompt_categories())


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(staff_routes.bp)

    @app.context_processor
    def _consent_globals():
        return {"consent_granted": services.granted, "consent_banner": show_banner,
                "consent_prompt": services.prompt_categories, "consent_catalogue": catalogue,
                "consent_gpc": services.gpc, "marketing_tags": tags.marketing_tags,
                "subprocessor_registry_url": registry_url}

    app.jinja_env.globals["consent_granted"] = services.granted

    @app.before_request
    def _honour_gpc():
        if request.method not in ("GET", "HEAD") or request.endpoint in SKIP_ENDPOINTS:
            return
        decision = services.honour_gpc_signal()
        if decision is not None:
            from webapp.extensions import db

            db.session.commit()
            g.consent_gpc_decision = decision

    @app.after_request
    def _consent_cookies(response):
        if request.endpoint in SKIP_ENDPOINTS:
            return response
        tags.mark_customer(response)
        if "consent_state" in g:  # the page depends on this visitor's consent (banner, tags)
            response.vary.add("Cookie")
            response.vary.add("Sec-GPC")
        if g.get("consent_gpc_decision") is not None:
            cookies.clear_cookies(response, services.refused_cookie_patterns(g.consent_gpc_decision))
        return response
