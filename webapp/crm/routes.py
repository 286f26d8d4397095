"""Contacts: a sortable, keyset-paged list with active search, inline edit, bulk trash, a record page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from webapp.authz import allow
from webapp.crm import company_services, services, uniqueness
from webapp.crm.forms import ContactForm
from webapp.customfields import forms as custom_forms
from webapp.customfields import listing as custom_listing
from webapp.extensions import db
from webapp.http import render, see_other, wants_partial

bp = Blueprint("crm", __name__, url_prefix="/contacts")


def _checked_values(form: ContactForm, contact=None) -> dict | None:
    """The form's values with the chosen company's id, or None after adding the field errors:
    an unknown company name, an e-mail address another contact has (tenant option)."""
    values = form.values()
    if "company" in request.form:  # the inline row edit leaves the company as it is
        company_id, ok = company_services.resolve(form.company.data)
        if not ok:
            form.company.errors.append(
                _("No company, or more than one, has exactly this name. Pick one of the suggestions."))
        values["company_id"] = company_id
    if uniqueness.email_taken(values.get("email"), contact.id if contact else None):
        form.email.errors.append(_("A contact with this e-mail address already exists."))
    return None if form.company.errors or form.email.errors else values


def _saved(form: ContactForm, write):
    """Run ``write`` and commit; a duplicate e-mail that slipped past the check (written meanwhile)
    is refused by the database and becomes a field error. Returns the written contact or None."""
    try:
        contact = write()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.email.errors.append(_("A contact with this e-mail address already exists."))
        return None
    return contact


@bp.get("")
@allow("tenant_member")
def contacts():
    page = services.list_contacts(request.args.get("q", ""), request.args.get("sort", "name"),
                                  request.args.get("after"), custom=custom_listing.from_args(request.args))
    if wants_partial() and request.args.get("after"):
        return render_template("crm/_contact_rows.html", page=page)  # "load more" appends rows
    return render("crm/contacts.html", "crm/_contacts.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@allow("tenant_member")
def new_contact():
    form = custom_forms.extend(ContactForm, "contact")()
    values = _checked_values(form) if form.validate_on_submit() else None
    contact = _saved(form, lambda: custom_forms.with_values(
        form, services.create_contact(values))) if values is not None else None
    if contact is not None:
        flash(_("The contact was added."), "success")
        return see_other("crm.contact", contact_id=contact.id)
    status = 422 if request.method == "POST" else 200
    return render("crm/contact_form.html", "crm/_contact_form.html", status=status, form=form, contact=None)


@bp.get("/<int:contact_id>")
@allow("tenant_member")
def contact(contact_id: int):
    record = services.get_contact(contact_id) or abort(404)
    return render("crm/contact.html", "crm/_contact_card.html", contact=record)


@bp.get("/<int:contact_id>/row")
@allow("tenant_member")
def row(contact_id: int):
    record = services.get_contact(contact_id) or abort(404)
    return render_template("crm/_contact_row.html", contact=record)


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@allow("tenant_member")
def edit(contact_id: int):
    record = services.get_contact(contact_id) or abort(404)
    inline = request.args.get("inline") == "1"  # the inline row edit changes the built-in fields only
    form = ContactForm(obj=record) if inline else custom_forms.extend(ContactForm, "contact", record.id)(obj=record)
    if "company" not in request.form:
        form.company.data = record.company.name if record.company else ""
    values = _checked_values(form, record) if form.validate_on_submit() else None
    if values is not None and _saved(form, lambda: custom_forms.with_values(
            form, services.update_contact(record, values))) is not None:
        if inline and wants_partial():
            return render_template("crm/_contact_row.html", contact=record)
        flash(_("The contact was saved."), "success")
        return see_other("crm.contact", contact_id=record.id)
    status = 422 if request.method == "POST" else 200
    if inline and wants_partial():
        return render_template("crm/_contact_row_form.html", contact=record, form=form), status
    return render("crm/contact_form.html", "crm/_contact_form.html", status=status, form=form, contact=record)


@bp.post("/bulk")
@allow("tenant_member")
def bulk():
    ids = [int(value) for value in request.form.getlist("ids") if value.isdigit()][:500]
    if request.form.get("action") != "trash" or not ids:
        flash(_("Select at least one contact and an action."), "error")
        return see_other("crm.contacts")
    count = services.trash_contacts(ids)
    db.session.commit()
    flash(_("%(n)s contact(s) moved to the trash.", n=count), "success")
    return see_other("crm.contacts")
