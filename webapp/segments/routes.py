"""The segment builder: filters, a live count preview (htmx, or a submit without JS), saving."""

from __future__ import annotations

from flask import Blueprint, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.segments import filters, services
from webapp.segments.forms import FilterForm, SegmentForm

bp = Blueprint("segments", __name__, url_prefix="/staff/segments")
MARKETING = "staff:sales,operator"


def _preview(form: FilterForm) -> int | None:
    """The number of leads matching the filter, or None while the filter is invalid."""
    if not form.validate():
        return None
    return filters.count(form.filters())


def _page(form, status=200, preview=None):
    saved = services.all_segments()
    return render("segments/index.html", "segments/_builder.html", status=status, form=form, preview=preview,
                  segments=saved, counts={segment.id: filters.count(segment.filters) for segment in saved})


@bp.get("")
@allow(MARKETING)
def index():
    form = SegmentForm(request.args, meta={"csrf": False})
    preview = _preview(FilterForm(request.args)) if request.args else None
    if request.args:
        form.validate()
        form.name.errors = []
    return _page(form, 422 if request.args and preview is None else 200, preview)


@bp.get("/count")
@allow(MARKETING)
def count():
    form = FilterForm(request.args)
    preview = _preview(form)
    return render("segments/count.html", "segments/_count.html", status=200 if preview is not None else 422,
                  form=form, preview=preview)


@bp.post("")
@allow(MARKETING)
def save():
    form = SegmentForm()
    if form.validate_on_submit():
        try:
            services.save(form.name.data, form.filters(), current_user.id)
        except services.DuplicateName:
            form.name.errors.append(_("A segment with this name exists already."))
        except filters.InvalidFilter:
            form.name.errors.append(_("This filter cannot be saved."))
        else:
            db.session.commit()
            flash(_("The segment was saved."), "success")
            return see_other("segments.index")
    db.session.rollback()
    return _page(form, 422, _preview(FilterForm(request.form)))
