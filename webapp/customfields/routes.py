"""The custom-fields settings screen (tenant admins): list, add, edit, order, archive."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.customfields import services
from webapp.customfields.forms import TYPE_LABELS, FieldForm, NewFieldForm
from webapp.extensions import db
from webapp.http import render, see_other, wants_partial

bp = Blueprint("customfields", __name__, url_prefix="/settings/custom-fields")


def _index(form: NewFieldForm, status: int = 200, error: str | None = None):
    groups = [("contact", _("Contacts"), services.fields("contact", include_archived=True)),
              ("company", _("Companies"), services.fields("company", include_archived=True))]
    return render("customfields/index.html", "customfields/_index.html", status=status, form=form, groups=groups,
                  type_labels=TYPE_LABELS, error=error, action_form=EmptyForm(), max_fields=services.MAX_FIELDS)


def _field(field_id: int):
    return services.get_field(field_id) or abort(404)


@bp.get("")
@allow("tenant_admin")
def index():
    return _index(NewFieldForm(formdata=None))


@bp.post("")
@allow("tenant_admin")
def create():
    form = NewFieldForm()
    if form.validate_on_submit():
        try:
            field = services.create_field(form.entity.data, form.key.data or "", form.label.data,
                                          form.field_type.data, form.choices.data or "", form.required.data)
        except services.DefinitionError as exc:
            db.session.rollback()
            return _index(form, 422, str(exc))
        db.session.commit()
        flash(_("The field %(label)s was added.", label=field.label), "success")
        return see_other("customfields.index")
    return _index(form, 422)


@bp.route("/<int:field_id>/edit", methods=["GET", "POST"])
@allow("tenant_admin")
def edit(field_id: int):
    field = _field(field_id)
    locked = services.has_values(field)
    form = FieldForm(data={"label": field.label, "key": field.key, "field_type": field.field_type,
                           "choices": "\n".join(field.choice_list), "required": field.required})
    error, status = None, 200
    if form.validate_on_submit():
        try:
            services.update_field(field, label=form.label.data, choices=form.choices.data or "",
                                  required=form.required.data,
                                  key=None if locked else (form.key.data or field.key),
                                  field_type=None if locked else form.field_type.data)
        except services.DefinitionError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_("The field %(label)s was saved.", label=field.label), "success")
            return see_other("customfields.index")
    if request.method == "POST":
        status = 422
    return render("customfields/edit.html", "customfields/_edit.html", status=status, form=form, field=field,
                  locked=locked, error=error)


def _after_change(message: str | None = None):
    db.session.commit()
    if wants_partial():
        return _index(NewFieldForm(formdata=None))
    if message:
        flash(message, "success")
    return see_other("customfields.index")


def _refused(error: str):
    db.session.rollback()
    if wants_partial():
        return _index(NewFieldForm(formdata=None), 409, error)
    flash(error, "error")
    return see_other("customfields.index")


@bp.post("/<int:field_id>/archive")
@allow("tenant_admin")
def archive(field_id: int):
    field = _field(field_id)
    try:
        services.set_archived(field, request.form.get("archived", "1") != "0")
    except services.DefinitionError as exc:
        return _refused(str(exc))
    return _after_change(_("The field %(label)s was archived.", label=field.label) if field.archived
                         else _("The field %(label)s is active again.", label=field.label))


@bp.post("/<int:field_id>/move")
@allow("tenant_admin")
def move(field_id: int):
    field = _field(field_id)
    services.move(field, -1 if request.form.get("direction") == "up" else 1)
    return _after_change()
