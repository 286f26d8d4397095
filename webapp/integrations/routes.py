"""Tenant admins switch integrations on and off; calendar apps fetch the feed by its secret address."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.integrations import services
from webapp.integrations.catalogue import INTEGRATIONS

bp = Blueprint("integrations", __name__)
FEED_KEY = "integration_feed"


def _page(status: int = 200, problem: str | None = None, problem_key: str | None = None):
    rows = {row.key: row for row in services.active()}
    offered = [(item, services.third_country(item), rows.get(item.key)) for item in INTEGRATIONS.values()]
    return render("integrations/index.html", "integrations/_index.html", status=status, offered=offered,
                  consent_text=services.consent_text, form=EmptyForm(), problem=problem, problem_key=problem_key,
                  feed=session.pop(FEED_KEY, None))


@bp.get("/settings/integrations")
@allow("tenant_admin")
def index():
    return _page()


@bp.post("/settings/integrations/<key>/enable")
@allow("tenant_admin")
def enable(key: str):
    EmptyForm().validate_on_submit() or abort(400)
    if key not in INTEGRATIONS:
        abort(404)
    try:
        _row, token = services.enable(current_user, key, request.form.get("consent") == "yes")
    except services.Refused as refusal:
        db.session.rollback()
        message = (_("Please tick the box to agree to the transfer outside the EU.") if str(refusal) ==
                   "consent missing" else _("This integration is already on."))
        return _page(422, message, key)
    db.session.commit()
    session[FEED_KEY] = url_for("integrations.feed", token=token, _external=True)
    flash(_("The integration is on. Copy the calendar address below now: it is shown only once."), "success")
    return see_other("integrations.index")


@bp.post("/settings/integrations/<int:integration_id>/disable")
@allow("tenant_admin")
def disable(integration_id: int):
    EmptyForm().validate_on_submit() or abort(400)
    if services.disable(current_user, integration_id):
        db.session.commit()
        flash(_("The integration is off; its calendar address no longer works."), "success")
    return see_other("integrations.index")


@bp.get("/calendar/<token>.ics")
@allow("public")
def feed(token: str):
    content = services.calendar_for(token)
    if content is None:
        abort(404)
    return Response(content, mimetype="text/calendar", headers={"Cache-Control": "no-store"})
