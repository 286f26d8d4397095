"""The retention dashboard for privacy officers: the next purge (a preview), past reports, holds."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock
from webapp.accounts.events import security_event
from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.retention import engine, services
from webapp.retention.forms import HoldForm, PreviewForm
from webapp.retention.models import LegalHold, RetentionRun

bp = Blueprint("retention", __name__, url_prefix="/privacy/retention")
PRIVACY = "staff:privacy_officer"


def _dashboard(hold_form: HoldForm, status: int = 200):
    preview_form = PreviewForm(request.args)
    day = preview_form.as_of.data if preview_form.validate() and preview_form.as_of.data else clock.now().date()
    holds = services.open_holds()
    shown = [hold.id for hold in holds if hold.email]
    if shown:  # staff saw e-mail addresses: logged like every staff access to personal data
        security_event("personal_data_viewed", current_user, view="retention.index", legal_holds=shown[:50])
    return render("retention/index.html", "retention/_index.html", status=status, day=day,
                  preview=engine.preview(services.start_of(day)), runs=services.recent_runs(),
                  holds=holds, hold_form=hold_form, preview_form=preview_form,
                  release_form=EmptyForm())


@bp.get("/")
@allow(PRIVACY)
def index():
    return _dashboard(HoldForm(services.held_tables(), formdata=None))


@bp.get("/preview")
@allow(PRIVACY)
def preview():
    """The next purge as of a day: the preview fragment alone (or the whole page without htmx)."""
    preview_form = PreviewForm(request.args)
    if not preview_form.validate():
        return render("retention/preview.html", "retention/_preview.html", status=422, preview=[],
                      day=None, preview_form=preview_form)
    day = preview_form.as_of.data or clock.now().date()
    return render("retention/preview.html", "retention/_preview.html", preview=engine.preview(services.start_of(day)),
                  day=day, preview_form=preview_form)


@bp.get("/runs/<int:run_id>")
@allow(PRIVACY)
def run(run_id: int):
    report = db.session.get(RetentionRun, run_id)
    if report is None:
        abort(404)
    return render("retention/run.html", "retention/_run.html", report=report, items=services.items_of(report))


@bp.post("/holds")
@allow(PRIVACY)
def add_hold():
    form = HoldForm(services.held_tables())
    if not form.validate():
        return _dashboard(form, status=422)
    person = form.scope.data == "person"
    until = services.start_of(form.until.data) if form.until.data else None
    services.add_hold(scope=form.scope.data, reason=form.reason.data.strip(), created_by_id=current_user.id,
                      email=form.email.data if person else None,
                      table_name=None if person else form.table_name.data,
                      record_id=None if person else form.record_id.data, until=until)
    db.session.commit()
    flash(_("The legal hold is in force."), "success")
    return see_other("retention.index")


@bp.post("/holds/<int:hold_id>/release")
@allow(PRIVACY)
def release_hold(hold_id: int):
    hold = db.session.get(LegalHold, hold_id)
    if hold is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    services.release_hold(hold, current_user.id)
    db.session.commit()
    flash(_("The legal hold is released; the data follows its retention rule again."), "success")
    return see_other("retention.index")
