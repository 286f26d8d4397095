"""The development outbox page and the SMS delivery-report callback."""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user

from webapp.accounts.events import security_event
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render
from webapp.messaging import services, settings

bp = Blueprint("messaging", __name__, url_prefix="/messaging")
# Who may read the outbox: it holds password reset links and login codes.
OUTBOX_RULE = "staff:operator"


@bp.get("/outbox")
@allow(OUTBOX_RULE)
def outbox():
    """The development outbox; it does not exist in production."""
    if current_app.config.get("PRODUCTION"):
        abort(404)
    security_event("personal_data_viewed", current_user, view="messaging.outbox")
    return render("messaging/outbox.html", "messaging/_outbox.html",
                  emails=services.recent_emails(), sms_messages=services.recent_sms(),
                  smtp_configured=bool(settings.get("SMTP_HOST")))


def _callback_token_ok() -> bool:
    expected = settings.get("SMS_CALLBACK_TOKEN")
    if not expected:
        abort(404)  # delivery reports are off until a shared secret is configured
    given = request.headers.get("X-Callback-Token") or request.args.get("token") or ""
    return hmac.compare_digest(given.encode(), str(expected).encode())


@bp.post("/sms/status")
@allow("public")  # the provider authenticates with the shared secret, checked below
def sms_status():
    """A provider's delivery report: JSON ``{"reference" or "message_id", "status", "error"?}``."""
    if not _callback_token_ok():
        return jsonify(error="invalid token"), 403
    report = request.get_json(silent=True)
    if not isinstance(report, dict) or not report.get("status"):
        return jsonify(error="expected a JSON object with a status"), 400
    sms = services.find_sms(report.get("reference"), report.get("message_id"))
    if sms is None:
        return jsonify(error="unknown message"), 404
    try:
        state = services.record_delivery_status(sms, report["status"], report.get("error"))
    except services.UnknownStatus as exc:
        return jsonify(error=str(exc)), 400
    db.session.commit()
    return jsonify(state=state), 200
