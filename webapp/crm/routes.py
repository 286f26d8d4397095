"""Contacts: a sortable, keyset-paged list with active search, inline edit, bulk trash, a record page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _

from webapp.authz import allow
from webapp.crm import services
from webapp.crm.forms import ContactForm
from webapp.extensions import db
from webapp.http import render, see_other, wants_partial

bp = Blueprint("crm", __name__, url_prefix="/contacts")


@bp.get("")
@allow("tenant_member")
def contacts():
    page = services.list_contacts(request.args.get("q", ""), request.args.get("sort", "name"),
                                  request.args.get("after"))
    if wants_partial() and request.args.get("after"):
        return render_template("crm/_contact_rows.html", page=page)  # "load more" appends rows
    return render("crm/contacts.html", "crm/_contacts.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@allow("tenant_member")
def new_contact():
    form = ContactForm()
    if form.validate_on_submit():
        contact = services.create_contact(form.values())
        db.session.commit()
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
    form = ContactForm(obj=record)
    inline = request.args.get("inline") == "1"
    if form.validate_on_submit():
        services.update_contact(record, form.values())
        db.session.commit()
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
