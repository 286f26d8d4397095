"""Report pages: the portal asks for a report and fetches it once ready; privacy officers do the same
for a logged request. Links expire after 24 hours; portability files download once."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import crypto, ratelimit
from webapp.accounts.events import security_event
from webapp.authz import allow
from webapp.dsr.models import DataRequest
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.mydata import access
from webapp.mydata import requests as portal_requests
from webapp.reports import services
from webapp.reports.forms import ConsoleReportForm, ReportForm

bp = Blueprint("reports", __name__)
PRIVACY = "staff:privacy_officer"
REPORTS_PER_HOUR = 10  # each one logs a request and sends a receipt e-mail


@bp.post("/my-data/reports")
@allow("public")
def portal_start():
    email = access.current_email()
    if email is None:
        return see_other("mydata.index")
    form = ReportForm()
    if not form.validate_on_submit():
        return render("reports/start.html", "reports/_start.html", status=422, form=form,
                      back=url_for("mydata.index"))
    if not ratelimit.hit(f"report:{crypto.keyed_hash('report-address', email)[:32]}", 3600, REPORTS_PER_HOUR):
        return render("reports/start.html", "reports/_start.html", status=429, form=form,
                      back=url_for("mydata.index"), message=_("You asked for many files within the last hour. "
                                                               "Please try again later."))
    kind, fmt = form.kind_and_format()
    logged = portal_requests.submit(email, kind, None)
    report, token = services.start(email, kind, fmt, request=logged)
    db.session.commit()
    services.remember_link(report, token)
    return see_other("reports.portal_status", report_id=report.id)


def _own_report(report_id: int):
    """The portal visitor's report, or 404 (someone else's report looks like no report)."""
    email, report = access.current_email(), services.get(report_id)
    if email is None or report is None or report.email != email:
        abort(404)
    return report


def _status(report, download_endpoint: str):
    return render("reports/status.html", "reports/_status.html", report=report,
                  progress=services.progress_of(report), expired=services.is_expired(report),
                  token=services.remembered_token(report), download_endpoint=download_endpoint,
                  status_endpoint=request.endpoint)


@bp.get("/my-data/reports/<int:report_id>")
@allow("public")
def portal_status(report_id: int):
    return _status(_own_report(report_id), "reports.portal_download")


@bp.get("/my-data/reports/<int:report_id>/download")
@allow("public")
def portal_download(report_id: int):
    report = services.get(report_id)
    return _download(report, services.download_refusal(report, request.args.get("token"),
                                                       access.current_email() or "\x00"))


def _download(report, refusal: int | None):
    if refusal == 410:
        return render_template("reports/gone.html"), 410
    if refusal is not None:
        abort(refusal)
    if not services.claim_download(report):
        db.session.rollback()
        return render_template("reports/gone.html"), 410
    db.session.commit()
    name = f"bizalom-{report.kind}-{report.created_at:%Y%m%d-%H%M}.{report.format}"
    return send_file(services.file_of(report), mimetype=services.MIME_TYPES[report.format], as_attachment=True,
                     download_name=name, max_age=0)


@bp.post("/privacy/requests/<int:request_id>/report")
@allow(PRIVACY)
def console_start(request_id: int):
    made = db.session.get(DataRequest, request_id) or abort(404)
    form = ConsoleReportForm()
    if not form.validate_on_submit():
        return render("reports/start.html", "reports/_start.html", status=422, form=form,
                      back=url_for("dsr.detail", request_id=made.id))
    kind, fmt = form.kind_and_format()
    report, token = services.start(made.email, kind, fmt, request=made, user_id=current_user.id)
    db.session.commit()
    services.remember_link(report, token)
    return see_other("reports.console_status", report_id=report.id)


@bp.get("/privacy/reports/<int:report_id>")
@allow(PRIVACY)
def console_status(report_id: int):
    return _status(services.get(report_id) or abort(404), "reports.console_download")


@bp.get("/privacy/reports/<int:report_id>/download")
@allow(PRIVACY)
def console_download(report_id: int):
    report = services.get(report_id)
    refusal = services.download_refusal(report, request.args.get("token"), None)
    if refusal is None:
        security_event("personal_data_viewed", current_user, view="reports.console_download", report_id=report.id)
    return _download(report, refusal)
