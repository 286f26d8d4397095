"""Visitor routes: the banner's decision (POST, then back) and the cookie-settings page."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, render_template, request
from flask_babel import gettext as _

from webapp.authz import allow
from webapp.consent import catalogue, services
from webapp.consent.forms import DECISION_ACTIONS, SETTINGS_ACTIONS, DecisionForm
from webapp.errors import error_response
from webapp.extensions import db
from webapp.http import redirect_to, render, safe_next, see_other, wants_partial

bp = Blueprint("consent", __name__)


def _choice(form: DecisionForm, allowed_actions) -> tuple[str, set[str]]:
    """The posted action and granted services; anything unknown or oversized raises (nothing is stored)."""
    if not form.validate():
        raise services.ConsentInputError(_("The cookie choice could not be read. Please try again."))
    action = request.form.get("action", "")
    if action not in allowed_actions:
        raise services.ConsentInputError(_("Unknown cookie choice."))
    try:
        chosen = services.validate_choice(request.form.getlist("category"), request.form.getlist("service"))
    except services.ConsentInputError as exc:
        raise services.ConsentInputError(_("Unknown or too many cookie categories or services.")) from exc
    return action, chosen


@bp.post("/consent")
@allow("public")
def decide():
    form = DecisionForm()
    try:
        action, chosen = _choice(form, DECISION_ACTIONS)
    except services.ConsentInputError as exc:
        return error_response(400, str(exc))
    scope = services.prompt_categories() or catalogue.OPTIONAL_CATEGORIES
    decision = services.record_decision(action, chosen, "banner", scope=scope)
    db.session.commit()
    if wants_partial():
        response = make_response(render_template("consent/_banner_saved.html", decision=decision))
        response.vary.add("HX-Request")
    else:
        response = redirect_to(safe_next(form.next.data, "/"))
    return services.finish(response, decision)


@bp.get("/cookie-settings")
@allow("public")
def settings():
    state = services.state()
    return render("consent/settings.html", "consent/_settings.html", form=DecisionForm(), state=state,
                  catalogue=catalogue, granted_service=services.granted_service, gpc=services.gpc())


@bp.post("/cookie-settings")
@allow("public")
def save_settings():
    form = DecisionForm()
    try:
        action, chosen = _choice(form, SETTINGS_ACTIONS)
    except services.ConsentInputError as exc:
        return error_response(400, str(exc))
    decision = services.record_decision(action, chosen, "settings")
    db.session.commit()
    flash(_("Your consent was withdrawn and our cookies deleted.") if action == "withdraw"
          else _("Your cookie settings are saved."), "success")
    return services.finish(see_other("consent.settings"), decision)
