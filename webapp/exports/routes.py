"""Export pages: start an export, follow its progress, download the file, see the export log."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from webapp import clock
from webapp.authz import allow
from webapp.exports import services
from webapp.exports.forms import ExportForm
from webapp.exports.writers import MIME_TYPES
from webapp.extensions import db
from webapp.http import render, see_other

bp = Blueprint("exports", __name__, url_prefix="/exports")


def _company_id(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) <= 10 else None


def _index(form: ExportForm, status: int = 200):
    company = services.company_name(_company_id(form.company_id.data))
    return render("exports/index.html", "exports/_index.html", status=status, form=form, company=company,
                  records=services.recent(), link_hours=services.link_hours(), now=clock.now())


@bp.get("")
@allow("tenant_admin")
def index():
    form = ExportForm(formdata=None, company_id=_company_id(request.args.get("company_id")))
    return _index(form)


@bp.post("")
@allow("tenant_admin")
def start():
    form = ExportForm()
    if form.validate_on_submit():
        filters = form.filters()
        if filters["company_id"] and services.company_name(filters["company_id"]) is None:
            form.company_id.errors = [_("This company does not exist.")]
            return _index(form, 422)
        record, token = services.start(current_user, form.entity.data, form.format.data, filters)
        db.session.commit()
        services.remember_link(record, token)
        return see_other("exports.status", export_id=record.id)
    return _index(form, 422)


@bp.get("/<int:export_id>")
@allow("tenant_admin")
def status(export_id: int):
    record = services.get(export_id) or abort(404)
    return render("exports/status.html", "exports/_status.html", record=record,
                  progress=services.progress_of(record), expired=services.is_expired(record),
                  token=services.remembered_token(record))


@bp.get("/<int:export_id>/download")
@allow("tenant_admin")
def download(export_id: int):
    record = services.get(export_id) or abort(404)
    refusal = services.download_refusal(record, request.args.get("token"))
    if refusal == 410:
        return render_template("exports/expired.html", record=record, link_hours=services.link_hours()), 410
    if refusal is not None:
        abort(refusal)
    services.log_download(record)
    name = f"{record.entity}-{record.created_at:%Y%m%d-%H%M}.{record.format}"
    return send_file(services.file_of(record), mimetype=MIME_TYPES[record.format], as_attachment=True,
                     download_name=name, max_age=0)
