"""Task progress: a fragment that replaces itself and polls until the job is done."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render
from webapp.jobs.models import Task
from webapp.jobs.services import live_progress

bp = Blueprint("jobs", __name__, url_prefix="/tasks")


@bp.get("/<task_id>")
@allow("authenticated")
def progress(task_id: str):
    task = db.session.get(Task, task_id)
    if task is None or task.user_id != current_user.id:
        abort(404)
    percent, message = live_progress(task)
    return render("jobs/progress.html", "jobs/_progress.html", task=task, percent=percent, message=message)
