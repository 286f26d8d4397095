"""Notes and tasks on record pages (htmx fragments, plain forms without JS), the timeline, "My tasks"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from webapp.activities import services, timeline
from webapp.activities.forms import NoteForm, TaskForm
from webapp.activities.models import Note, Task
from webapp.audit.views import tenant_users
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import redirect_to, render, wants_partial

bp = Blueprint("activities", __name__)
KINDS = "<kind>"  # contact or company; anything else finds no parent (404)
RECORD_ENDPOINTS = {"contact": ("crm.contact", "contact_id"), "company": ("companies.company", "company_id")}


def record_url(kind: str, record_id: int) -> str:
    endpoint, key = RECORD_ENDPOINTS[kind]
    return url_for(endpoint, **{key: record_id})


def _context(kind: str, record_id: int, note_form=None, task_form=None) -> dict:
    return {"kind": kind, "record_id": record_id, "note_form": note_form or NoteForm(formdata=None),
            "task_form": task_form or TaskForm(tenant_users(), formdata=None),
            "page": timeline.timeline(kind, record_id), "user_id": current_user.id}


def activity_section(kind: str, record_id: int) -> Markup:
    """The record's activity section: forms and the first timeline page (template global)."""
    return Markup(render_template("activities/_activity.html", **_context(kind, record_id)))  # noqa: S704


def section(kind: str, record_id: int, status: int = 200, **forms):
    response = make_response(render_template("activities/_activity.html", **_context(kind, record_id, **forms)),
                             status)
    response.vary.add("HX-Request")
    return response


def _answer(kind: str, record_id: int, message: str):
    """After a change: the refreshed section for htmx, a 303 to the record page otherwise."""
    if wants_partial():
        return section(kind, record_id)
    flash(message, "success")
    return redirect_to(record_url(kind, record_id))


def _invalid(kind: str, record_id: int, **forms):
    if wants_partial():
        return section(kind, record_id, status=422, **forms)
    return render("activities/record_form.html", "activities/_activity.html", status=422,
                  back=record_url(kind, record_id), **_context(kind, record_id, **forms))


@bp.post(f"/records/{KINDS}/<int:record_id>/notes")
@allow("tenant_member")
def add_note(kind: str, record_id: int):
    services.parent(kind, record_id) or abort(404)
    form = NoteForm()
    if not form.validate_on_submit():
        return _invalid(kind, record_id, note_form=form)
    services.add_note(kind, record_id, form.body.data, current_user.id)
    db.session.commit()
    return _answer(kind, record_id, _("The note was added."))


@bp.route("/records/notes/<int:note_id>/edit", methods=["GET", "POST"])
@allow("tenant_member")
def edit_note(note_id: int):
    note = services.get_note(note_id) or abort(404)
    if not services.can_edit(note, current_user.id):
        abort(403)
    form = NoteForm(obj=note)
    kind, record_id = note.parent_key
    if form.validate_on_submit():
        services.update_note(note, form.body.data)
        db.session.commit()
        return _answer(kind, record_id, _("The note was saved."))
    status = 422 if request.method == "POST" else 200
    return render("activities/note_form.html", "activities/_note_form.html", status=status, form=form, note=note,
                  back=record_url(kind, record_id))


@bp.post("/records/notes/<int:note_id>/delete")
@allow("tenant_member")
def delete_note(note_id: int):
    note = services.get_note(note_id) or abort(404)
    if not services.can_edit(note, current_user.id):
        abort(403)
    kind, record_id = note.parent_key
    services.delete(Note, note.id)
    db.session.commit()
    return _answer(kind, record_id, _("The note was moved to the trash."))


@bp.post(f"/records/{KINDS}/<int:record_id>/tasks")
@allow("tenant_member")
def add_task(kind: str, record_id: int):
    services.parent(kind, record_id) or abort(404)
    form = TaskForm(tenant_users())
    if not form.validate_on_submit():
        return _invalid(kind, record_id, task_form=form)
    services.add_task(kind, record_id, form.title.data, form.due_on.data, form.assignee(), current_user.id)
    db.session.commit()
    return _answer(kind, record_id, _("The task was added."))


@bp.post("/records/tasks/<int:task_id>/done")
@allow("tenant_member")
def task_done(task_id: int):
    task = services.get_task(task_id) or abort(404)
    services.set_done(task, request.form.get("done", "1") == "1")
    db.session.commit()
    if request.form.get("from") == "mine":
        return redirect_to(url_for("activities.my_tasks"))
    kind, record_id = task.parent_key
    return _answer(kind, record_id, _("The task was updated."))


@bp.post("/records/tasks/<int:task_id>/delete")
@allow("tenant_member")
def delete_task(task_id: int):
    task = services.get_task(task_id) or abort(404)
    if current_user.id not in (task.author_id, task.assignee_id):
        abort(403)
    kind, record_id = task.parent_key
    services.delete(Task, task.id)
    db.session.commit()
    return _answer(kind, record_id, _("The task was moved to the trash."))


@bp.get(f"/records/{KINDS}/<int:record_id>/timeline")
@allow("tenant_member")
def timeline_page(kind: str, record_id: int):
    services.parent(kind, record_id) or abort(404)
    page = timeline.timeline(kind, record_id, request.args.get("after"))
    return render("activities/timeline.html", "activities/_timeline_entries.html", page=page, kind=kind,
                  record_id=record_id, user_id=current_user.id, back=record_url(kind, record_id))


@bp.get("/my-tasks")
@allow("tenant_member")
def my_tasks():
    tasks = services.my_tasks(current_user.id)
    return render("activities/my_tasks.html", "activities/_my_tasks.html", tasks=tasks,
                  titles=services.titles_of(tasks), today=services.clock.now().date(), record_url=record_url)
