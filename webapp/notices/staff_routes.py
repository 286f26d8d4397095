"""Privacy officers: drafts, preview, publishing (with confirmation), the version list and diffs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.notices import services
from webapp.notices.forms import DraftForm
from webapp.notices.models import NOTICE_LANGUAGES, NoticeVersion
from webapp.notices.routes import chosen_language
from webapp.subprocessors.services import notice_needs_update

bp = Blueprint("notices_staff", __name__, url_prefix="/staff/notices")
PRIVACY_ROLES = "staff:privacy_officer"


def _version(version_id: int) -> NoticeVersion:
    found = db.session.get(NoticeVersion, version_id)
    if found is None:
        abort(404)
    return found


@bp.get("")
@allow(PRIVACY_ROLES)
def index():
    return render("notices/staff/index.html", "notices/staff/_index.html", versions=services.all_versions(),
                  draft=services.open_draft(), current=services.current_version(),
                  needs_update=notice_needs_update(), form=EmptyForm())


@bp.post("/drafts")
@allow(PRIVACY_ROLES)
def create_draft():
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        draft = services.create_draft(current_user)
    except services.NoticeError:
        flash(_("A draft is already open; edit or publish it first."), "error")
        return see_other("notices_staff.index")
    db.session.commit()
    return see_other("notices_staff.edit", version_id=draft.id)


@bp.route("/<int:version_id>/edit", methods=["GET", "POST"])
@allow(PRIVACY_ROLES)
def edit(version_id: int):
    draft = _version(version_id)
    if draft.state != "draft":
        flash(_("A published version cannot be changed."), "error")
        return see_other("notices_staff.preview", version_id=draft.id)
    form = DraftForm(obj=draft)
    if form.validate_on_submit():
        services.update_draft(draft, bodies={lang: getattr(form, f"body_{lang}").data or ""
                                             for lang in NOTICE_LANGUAGES},
                              summary=form.summary.data or "", changed_categories=form.changed_categories.data)
        db.session.commit()
        flash(_("The draft is saved."), "success")
        return see_other("notices_staff.preview", version_id=draft.id)
    status = 422 if request.method == "POST" else 200
    return render("notices/staff/edit.html", "notices/staff/_edit.html", status=status, form=form, draft=draft)


@bp.get("/<int:version_id>")
@allow(PRIVACY_ROLES)
def preview(version_id: int):
    version = _version(version_id)
    shown = chosen_language()
    return render("notices/staff/preview.html", "notices/staff/_preview.html", version=version, language=shown,
                  languages=NOTICE_LANGUAGES, form=EmptyForm())


@bp.route("/<int:version_id>/publish", methods=["GET", "POST"])
@allow(PRIVACY_ROLES)
def publish(version_id: int):
    draft = _version(version_id)
    form = EmptyForm()
    error = None
    if draft.state != "draft":
        error = _("This version is already published.")
    elif form.validate_on_submit():
        try:
            services.publish(draft, current_user, link=url_for("notices.privacy", _external=True))
        except services.NoticeError:
            error = _("Every language needs a text before publishing.")
        else:
            db.session.commit()
            flash(_("Version %(number)s is published; registered users are being informed.",
                    number=draft.number), "success")
            return see_other("notices_staff.index")
    status = 422 if request.method == "POST" else 200
    return render("notices/staff/publish.html", "notices/staff/_publish.html", status=status, draft=draft,
                  form=form, error=error, current=services.current_version())


@bp.get("/diff")
@allow(PRIVACY_ROLES)
def diff():
    versions = services.all_versions()
    by_number = {v.number: v for v in versions}
    older = newer = error = None
    if "from" in request.args or "to" in request.args:
        try:
            older = by_number[int(request.args.get("from", ""))]
            newer = by_number[int(request.args.get("to", ""))]
        except (KeyError, ValueError):
            error = _("Please choose two versions.")
    elif len(versions) >= 2:
        older, newer = versions[1], versions[0]
    shown = chosen_language()
    lines = services.diff(older, newer, shown) if older and newer else []
    return render("notices/staff/diff.html", "notices/_diff.html", status=422 if error else 200,
                  versions=versions, older=older, newer=newer, lines=lines, error=error, language=shown,
                  languages=NOTICE_LANGUAGES, endpoint="notices_staff.diff")
