"""The privacy officers' request console."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.events import security_event
from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.dsr import services, stats
from webapp.dsr.forms import CloseForm, ExtendForm, LogRequestForm
from webapp.dsr.models import DataRequest
from webapp.extensions import db
from webapp.http import render, see_other

bp = Blueprint("dsr", __name__, url_prefix="/privacy/requests")
PRIVACY = "staff:privacy_officer"


@bp.get("")
@allow(PRIVACY)
def queue():
    kind, state = request.args.get("kind", "")[:20], request.args.get("state", "open")[:10]
    rows = services.queue(kind, state)
    return render("dsr/queue.html", "dsr/_queue.html", rows=rows, kind=kind, state=state,
                  overdue={r.id for r in rows if services.is_overdue(r)}, chart=stats.chart(stats.deadlines_met()))


@bp.route("/new", methods=["GET", "POST"])
@allow(PRIVACY)
def new():
    form = LogRequestForm()
    if form.validate_on_submit():
        logged = services.log(form.kind.data, form.email.data, form.channel.data, form.identity_check.data,
                              details=form.details.data or None, identity_note=form.identity_note.data or None,
                              actor_id=current_user.id)
        db.session.commit()
        flash(_("The request was logged. Its deadline is %(d)s.", d=logged.due_on.isoformat()), "success")
        return see_other("dsr.detail", request_id=logged.id)
    return render("dsr/new.html", "dsr/_new.html", status=422 if form.errors else 200, form=form)


def _get(request_id: int) -> DataRequest:
    return db.session.get(DataRequest, request_id) or abort(404)


@bp.get("/<int:request_id>")
@allow(PRIVACY)
def detail(request_id: int, extend_form=None, close_form=None, status: int = 200):
    item = _get(request_id)
    security_event("personal_data_viewed", current_user, view="dsr.detail", request_id=item.id)
    from webapp.leads.services import find_by_email

    return render("dsr/detail.html", "dsr/_detail.html", status=status, item=item, overdue=services.is_overdue(item),
                  lead=find_by_email(item.email),
                  extend_form=extend_form or ExtendForm(formdata=None),
                  close_form=close_form or CloseForm(formdata=None), form=EmptyForm(),
                  kind_label=services.kind_label(item.kind))


@bp.post("/<int:request_id>/start")
@allow(PRIVACY)
def start(request_id: int):
    EmptyForm().validate_on_submit() or abort(400)
    item = _get(request_id)
    try:
        services.start(item, current_user.id)
    except services.Refused:
        flash(_("This request is closed."), "error")
        return see_other("dsr.detail", request_id=item.id)
    db.session.commit()
    return see_other("dsr.detail", request_id=item.id)


@bp.post("/<int:request_id>/extend")
@allow(PRIVACY)
def extend(request_id: int):
    item, form = _get(request_id), ExtendForm()
    if form.validate_on_submit():
        try:
            services.extend(item, form.until.data, form.reason.data, current_user.id)
        except services.Refused as refusal:
            form.until.errors = [_extension_message(str(refusal))]
        else:
            db.session.commit()
            flash(_("The deadline was extended and the person told why."), "success")
            return see_other("dsr.detail", request_id=item.id)
    db.session.rollback()
    return detail(request_id, extend_form=form, status=422)


def _extension_message(reason: str) -> str:
    return {"already extended": _("The deadline can be extended only once."),
            "extension out of range": _("The new deadline must be after the current one and at most two further "
                                        "months after it."),
            "closed": _("This request is closed.")}.get(reason, _("This change is not possible."))


@bp.post("/<int:request_id>/close")
@allow(PRIVACY)
def close(request_id: int):
    item, form = _get(request_id), CloseForm()
    if form.validate_on_submit():
        try:
            services.close(item, form.state.data, form.outcome.data, current_user.id)
        except services.Refused:
            form.outcome.errors = [_("This request is closed.")]
        else:
            db.session.commit()
            return see_other("dsr.queue")
    db.session.rollback()
    return detail(request_id, close_form=form, status=422)


@bp.post("/<int:request_id>/restriction")
@allow(PRIVACY)
def restriction(request_id: int):
    """Apply (``do=restrict``), or lift with a recorded reason (``do=lift``), the person's restriction."""
    EmptyForm().validate_on_submit() or abort(400)
    item = _get(request_id)
    from webapp.dsr import actions

    try:
        if request.form.get("do") == "lift":
            actions.lift(item, request.form.get("reason", "")[:500], current_user.id)
        elif request.form.get("do") == "stop_marketing":
            actions.stop_marketing(item, current_user.id)
        else:
            actions.restrict(item, current_user.id)
    except services.Refused as refusal:
        db.session.rollback()
        flash({"reason required": _("Give the reason for lifting the restriction."),
               "no such person": _("We hold no lead with this address."),
               "closed": _("This request is closed.")}.get(str(refusal), _("This change is not possible.")), "error")
        return see_other("dsr.detail", request_id=item.id)
    db.session.commit()
    return see_other("dsr.detail", request_id=item.id)


@bp.post("/<int:request_id>/rectification")
@allow(PRIVACY)
def rectification(request_id: int):
    """After correcting the data: tell every earlier recipient (from the transfer log) what changed."""
    EmptyForm().validate_on_submit() or abort(400)
    item = _get(request_id)
    from webapp.dsr import rectification as rectifying

    try:
        outcome = rectifying.notify_recipients(item, request.form.get("corrected", "")[:500], current_user.id)
    except services.Refused as refusal:
        db.session.rollback()
        flash(_("Describe what was corrected.") if str(refusal) == "correction required"
              else _("This request is closed."), "error")
        return see_other("dsr.detail", request_id=item.id)
    db.session.commit()
    flash(_("Told %(n)s earlier recipients.", n=len(outcome.notified)) + (
        " " + _("Tell these by other means: %(names)s.", names=", ".join(outcome.by_hand)) if outcome.by_hand else ""),
        "success")
    return see_other("dsr.detail", request_id=item.id)
