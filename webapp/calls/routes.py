"""Logging a call on the lead record, and marking a call for review."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, abort, flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_utc
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.calls import services
from webapp.calls.forms import CallForm
from webapp.calls.models import CallLog
from webapp.extensions import db
from webapp.http import redirect_to, render, wants_partial
from webapp.profiles.routes import lead_or_404, record_context, valid_id

bp = Blueprint("calls", __name__, url_prefix="/staff/leads/<int:lead_id>/calls")
SALES = "staff:consultant,sales"
REVIEWERS = "staff:sales,operator"
REFUSALS = {
    "contact_stopped": _l("This person asked us to stop contacting them: an outbound call cannot be logged."),
    "recording_not_announced": _l("Only inbound calls may be recorded, and only after the announcement."),
    "review_not_allowed": _l("Only sales managers and operators may mark a call for review."),
    "direction": _l("Please choose the direction of the call."),
    "duration": _l("The duration is out of range."),
}


def _calls_fragment(lead, status=200, form=None, error=None):
    return render("profiles/record.html", "calls/_calls.html", status=status, call_error=error,
                  **record_context(lead, call_form=form))


@bp.post("")
@allow(SALES)
def log(lead_id: int):
    lead = lead_or_404(lead_id)
    form = CallForm()
    if not form.validate_on_submit():
        return _calls_fragment(lead, 422, form)
    try:
        services.log_call(lead, current_user, direction=form.direction.data,
                          started_at=to_utc(form.started_at.data).replace(tzinfo=UTC),
                          duration_seconds=form.duration_minutes.data * 60, announced=form.announced.data,
                          recorded=form.recorded.data, review=form.review.data, notes=form.notes.data)
    except services.CallRefused as refused:
        db.session.rollback()
        return _calls_fragment(lead, 422, form, REFUSALS[refused.code])
    db.session.commit()
    if wants_partial():
        return _calls_fragment(lead)
    flash(_("The call was logged."), "success")
    return redirect_to(url_for("leads_staff.record", lead_id=lead.id) + "#calls")


@bp.post("/<int:call_id>/review")
@allow(REVIEWERS)
def review(lead_id: int, call_id: int):
    lead = lead_or_404(lead_id)
    call = db.session.get(CallLog, call_id) if valid_id(call_id) else None
    if call is None or call.lead_id != lead.id:
        abort(404)
    EmptyForm().validate_on_submit() or abort(400)
    services.set_review(call, current_user, not call.review)
    db.session.commit()
    if wants_partial():
        return _calls_fragment(lead)
    return redirect_to(url_for("leads_staff.record", lead_id=lead.id) + "#calls")
