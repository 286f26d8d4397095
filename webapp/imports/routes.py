"""Import screens: upload, map the columns, watch the job, download the rejection report."""

from __future__ import annotations

from flask import Blueprint, abort, request, send_file
from flask_login import current_user

from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.imports import report, services, settings
from webapp.imports.forms import UploadForm, mapping_form
from webapp.imports.models import ImportRecord
from webapp.imports.problems import FileProblem, encoding_note, file_message
from webapp.jobs.models import Task
from webapp.jobs.services import live_progress

bp = Blueprint("imports", __name__, url_prefix="/imports")


def _record(import_id: int) -> ImportRecord:
    return services.get_import(import_id) or abort(404)


@bp.get("")
@allow("tenant_member")
def index():
    return render("imports/index.html", "imports/_index.html", imports=services.recent_imports(),
                  status_labels=services.STATUS_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@allow("tenant_member")
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        try:
            record = services.receive_upload(form.file.data, form.encoding.data, current_user.id)
        except FileProblem as problem:
            form.file.errors.append(problem.message)
        else:
            db.session.commit()
            return see_other("imports.mapping", import_id=record.id)
    status = 422 if request.method == "POST" else 200
    max_mb = settings.whole("IMPORT_MAX_BYTES") // (1024 * 1024)
    return render("imports/new.html", "imports/_upload_form.html", status=status, form=form, max_mb=max_mb)


@bp.route("/<int:import_id>/mapping", methods=["GET", "POST"])
@allow("tenant_member")
def mapping(import_id: int):
    record = _record(import_id)
    if not record.mappable:
        return see_other("imports.status", import_id=record.id)
    form = mapping_form(record.headers, record.mapping or [], record.mode)
    if form.validate_on_submit():
        services.start_import(record, form.mapping(), form.mode.data, current_user.id)
        db.session.commit()
        return see_other("imports.status", import_id=record.id)
    status = 422 if request.method == "POST" else 200
    note = encoding_note(record.encoding) if record.encoding_guessed else None
    return render("imports/mapping.html", "imports/_mapping_form.html", status=status, form=form, record=record,
                  sample=services.preview(record), note=note)


@bp.get("/<int:import_id>")
@allow("tenant_member")
def status(import_id: int):
    """The outcome, or a fragment that polls itself while the job is queued or running."""
    record = _record(import_id)
    task = db.session.get(Task, record.task_id) if record.task_id else None
    percent, message = live_progress(task) if task is not None else (0, None)
    polling = record.status in ("queued", "running") and not (task is not None and task.state == "failed")
    error = file_message(record.error_code, record.error_params) if record.error_code else None
    note = encoding_note(record.encoding) if record.encoding_guessed else None
    problems, more = report.problems_for_page(record)
    return render("imports/status.html", "imports/_status.html", record=record, task=task, polling=polling,
                  percent=percent, progress_text=services.progress_text(message), problems=problems,
                  more_problems=more, error=error, note=note)


@bp.get("/<int:import_id>/report.csv")
@allow("tenant_member")
def rejection_report(import_id: int):
    record = _record(import_id)
    if not report.available(record):
        abort(404)
    return send_file(report.render_download(record), mimetype="text/csv", as_attachment=True,
                     download_name=f"import-{record.id}-rejected-rows.csv", max_age=0)
