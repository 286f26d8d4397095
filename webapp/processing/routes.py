"""Records of processing for privacy officers: list, view with history, edit (a new version), diff."""

from __future__ import annotations

from flask import Blueprint, abort, flash
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.processing import services
from webapp.processing.forms import CLOCK_LABELS, LEGAL_BASIS_LABELS, UNIT_LABELS, ActivityForm

bp = Blueprint("processing", __name__, url_prefix="/privacy/processing")
PRIVACY = "staff:privacy_officer"


def _activity(key: str):
    found = services.activity(key[:60])
    if found is None:
        abort(404)
    return found


def _labels() -> dict:
    return {"bases": LEGAL_BASIS_LABELS, "clocks": CLOCK_LABELS, "units": UNIT_LABELS,
            "locale": str(get_locale() or "en")}


@bp.get("/")
@allow(PRIVACY)
def index():
    return render("processing/index.html", "processing/_index.html", activities=services.activities(), **_labels())


@bp.get("/<key>")
@allow(PRIVACY)
def show(key: str):
    item = _activity(key)
    return render("processing/show.html", "processing/_show.html", item=item, versions=services.history(item),
                  **_labels())


@bp.route("/<key>/edit", methods=["GET", "POST"])
@allow(PRIVACY)
def edit(key: str):
    item = _activity(key)
    form = ActivityForm()
    if not form.is_submitted():
        form.fill(item)
    elif form.validate():
        try:
            version = services.update(item, form.changes(), current_user.id, form.note.data.strip())
        except services.InvalidChange as exc:
            db.session.rollback()
            form.note.errors = [*form.note.errors, _("Not saved: %(reason)s", reason=str(exc))]
        else:
            db.session.commit()
            flash(_("Saved as version %(n)s.", n=version.version) if version else _("Nothing changed."), "success")
            return see_other("processing.show", key=item.key)
    status = 422 if form.is_submitted() else 200
    return render("processing/edit.html", "processing/_edit.html", status=status, item=item, form=form, **_labels())


@bp.get("/<key>/versions/<int:number>")
@allow(PRIVACY)
def version(key: str, number: int):
    item = _activity(key)
    found = services.version_of(item, number)
    if found is None:
        abort(404)
    return render("processing/version.html", "processing/_version.html", item=item, version=found,
                  changes=services.diff(found), **_labels())
