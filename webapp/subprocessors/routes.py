"""The public list of sub-processors, and the privacy officers' registry screens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.subprocessors import services
from webapp.subprocessors.forms import SubprocessorForm

bp = Blueprint("subprocessors", __name__)
staff_bp = Blueprint("subprocessors_staff", __name__, url_prefix="/staff/subprocessors")
PRIVACY_ROLES = "staff:privacy_officer"


@bp.get("/subprocessors")
@allow("public")
def public_list():
    return render("subprocessors/public.html", "subprocessors/_public.html", subprocessors=services.listing())


@staff_bp.get("")
@allow(PRIVACY_ROLES)
def index():
    return render("subprocessors/staff/index.html", "subprocessors/staff/_index.html",
                  subprocessors=services.listing(), changes=services.history(),
                  needs_update=services.notice_needs_update(), form=EmptyForm())


@staff_bp.route("/new", methods=["GET", "POST"])
@allow(PRIVACY_ROLES)
def create():
    form = SubprocessorForm()
    if form.validate_on_submit():
        try:
            services.create(form.values(), current_user)
        except services.RegistryError:
            form.name.errors.append(_("A sub-processor with this name is already listed."))
        else:
            db.session.commit()
            flash(_("The sub-processor is added. The privacy notice needs a new version."), "success")
            return see_other("subprocessors_staff.index")
    status = 422 if request.method == "POST" else 200
    return render("subprocessors/staff/form.html", "subprocessors/staff/_form.html", status=status, form=form,
                  subprocessor=None)


@staff_bp.route("/<int:subprocessor_id>/edit", methods=["GET", "POST"])
@allow(PRIVACY_ROLES)
def edit(subprocessor_id: int):
    subprocessor = services.get(subprocessor_id) or abort(404)
    form = SubprocessorForm(obj=subprocessor)
    if form.validate_on_submit():
        try:
            changed = services.update(subprocessor, form.values(), current_user)
        except services.RegistryError:
            form.name.errors.append(_("A sub-processor with this name is already listed."))
        else:
            db.session.commit()
            if changed:
                flash(_("The change is saved. The privacy notice needs a new version."), "success")
            return see_other("subprocessors_staff.index")
    status = 422 if request.method == "POST" else 200
    return render("subprocessors/staff/form.html", "subprocessors/staff/_form.html", status=status, form=form,
                  subprocessor=subprocessor)


@staff_bp.post("/<int:subprocessor_id>/delete")
@allow(PRIVACY_ROLES)
def delete(subprocessor_id: int):
    subprocessor = services.get(subprocessor_id) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete(subprocessor, current_user)
    db.session.commit()
    flash(_("The sub-processor is removed from the registry. The privacy notice needs a new version."), "success")
    return see_other("subprocessors_staff.index")
