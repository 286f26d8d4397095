"""The one policy layer: each route declares a rule, a before_request hook enforces it.

A view without a rule is refused (fail closed), and the authorization-matrix test fails.

Rules:
- ``public``: anyone.
- ``pending_login``: anyone; the view itself checks the half-finished sign-in in the session.
- ``authenticated``: any signed-in account.
- ``tenant_member``: a tenant's user or admin (customer data lives here; never operator staff).
- ``tenant_admin``: a tenant's admin.
- ``staff``: any operator staff account; ``staff:role1,role2``: only those staff roles.
- ``consultant_grant``: an operator consultant holding an active grant ("Invite consultant": not
  revoked, not expired, tenant not closed) for the ``<int:tenant_id>`` in the URL. The request
  still carries no tenant, so customer data stays out of reach (``webapp.tenant_admin.grants``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, abort, current_app, request, session, url_for
from flask_login import current_user

from webapp import tenancy
from webapp.accounts.models import STAFF_ROLES
from webapp.http import redirect_to

log = logging.getLogger("bizalom.authz")
ALWAYS_OPEN = {"static"}
ENROLMENT_ENDPOINTS = {"twofactor.setup", "twofactor.confirm", "twofactor.recovery_codes", "twofactor.phone",
                       "twofactor.confirm_phone", "account.reauth", "accounts.logout", "i18n.switch_language",
                       "health.healthz", "health.readyz", "static"}


def _signed_in(user) -> bool:
    return bool(user) and user.is_authenticated


def _consultant_grant(user) -> bool:
    from webapp.tenant_admin.grants import has_active_grant  # lazy: no import cycle with features

    tenant_id = (request.view_args or {}).get("tenant_id")
    return (_signed_in(user) and user.staff_role == "consultant" and isinstance(tenant_id, int)
            and has_active_grant(user.id, tenant_id))


PREDICATES: dict[str, Callable] = {
    "public": lambda user: True,
    "pending_login": lambda user: True,
    "authenticated": _signed_in,
    "tenant_member": lambda user: _signed_in(user) and user.tenant_id is not None,
    "tenant_admin": lambda user: _signed_in(user) and user.tenant_id is not None and user.role == "admin",
    "staff": lambda user: _signed_in(user) and user.staff_role is not None,
    "consultant_grant": _consultant_grant,
}


def _staff_roles(rule: str) -> set[str]:
    roles = set(rule.split(":", 1)[1].split(","))
    unknown = roles - set(STAFF_ROLES)
    if unknown:
        raise ValueError(f"unknown staff roles in rule {rule!r}: {sorted(unknown)}")
    return roles


def validate_rule(rule: str) -> str:
    if rule.startswith("staff:"):
        _staff_roles(rule)
    elif rule not in PREDICATES:
        raise ValueError(f"unknown authorization rule {rule!r}")
    return rule


def permits(rule: str, user) -> bool:
    if rule.startswith("staff:"):
        return _signed_in(user) and user.staff_role in _staff_roles(rule)
    return PREDICATES[rule](user)


def allow(rule: str):
    """Declare who may call a view."""
    validate_rule(rule)

    def decorate(view):
        view.authz_rule = rule
        return view

    return decorate


def rule_for(endpoint: str | None) -> str | None:
    if endpoint in ALWAYS_OPEN:
        return "public"
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, "authz_rule", None)


def enforce():
    signed_in = _signed_in(current_user)  # loads the session first: timeouts apply before any view
    tenancy.scope_request()
    if request.endpoint is None:
        return None  # 404/405 are answered by the error pages
    rule = rule_for(request.endpoint)
    if rule is None:
        log.error("route %s has no authorization rule; refused", request.endpoint)
        abort(403)
    if session.get("must_enrol_2fa") and signed_in and request.endpoint not in ENROLMENT_ENDPOINTS:
        return redirect_to(url_for("twofactor.setup"))
    if permits(rule, current_user):
        return None
    if not signed_in:
        return current_app.login_manager.unauthorized()
    abort(403)


def init_app(app: Flask) -> None:
    app.before_request(enforce)
