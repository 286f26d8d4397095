"""Companies: sortable keyset list with active search, inline edit, bulk trash, record page, linked contacts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _

from webapp.authz import allow
from webapp.crm import company_services as services
from webapp.crm.company_forms import CompanyForm
from webapp.customfields import forms as custom_forms
from webapp.extensions import db
from webapp.http import render, see_other, wants_partial

bp = Blueprint("companies", __name__, url_prefix="/companies")


def _company(company_id: int):
    return services.get_company(company_id) or abort(404)


@bp.get("")
@allow("tenant_member")
def companies():
    page = services.list_companies(request.args.get("q", ""), request.args.get("sort", "name"),
                                   request.args.get("after"))
    if wants_partial() and request.args.get("after"):
        return render_template("crm/_company_rows.html", page=page)  # "more" appends rows
    return render("crm/companies.html", "crm/_companies.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@allow("tenant_member")
def new_company():
    form = custom_forms.extend(CompanyForm, "company")()
    if form.validate_on_submit():
        company = services.create_company(form.values())
        custom_forms.save(form, company.id)
        db.session.commit()
        flash(_("The company was added."), "success")
        return see_other("companies.company", company_id=company.id)
    status = 422 if request.method == "POST" else 200
    return render("crm/company_form.html", "crm/_company_form.html", status=status, form=form, company=None)


@bp.get("/<int:company_id>")
@allow("tenant_member")
def company(company_id: int):
    record = _company(company_id)
    return render("crm/company.html", "crm/_company_card.html", company=record,
                  contacts=services.contacts_of(record))


@bp.get("/<int:company_id>/row")
@allow("tenant_member")
def row(company_id: int):
    return render_template("crm/_company_row.html", company=_company(company_id))


@bp.route("/<int:company_id>/edit", methods=["GET", "POST"])
@allow("tenant_member")
def edit(company_id: int):
    record = _company(company_id)
    inline = request.args.get("inline") == "1"  # the inline row edit changes the built-in fields only
    form = CompanyForm(obj=record) if inline else custom_forms.extend(CompanyForm, "company", record.id)(obj=record)
    if form.validate_on_submit():
        services.update_company(record, form.values())
        custom_forms.save(form, record.id)
        db.session.commit()
        if inline and wants_partial():
            return render_template("crm/_company_row.html", company=record)
        flash(_("The company was saved."), "success")
        return see_other("companies.company", company_id=record.id)
    status = 422 if request.method == "POST" else 200
    if inline and wants_partial():
        return render_template("crm/_company_row_form.html", company=record, form=form), status
    return render("crm/company_form.html", "crm/_company_form.html", status=status, form=form, company=record)


@bp.post("/bulk")
@allow("tenant_member")
def bulk():
    ids = [int(value) for value in request.form.getlist("ids") if value.isdigit() and len(value) < 19][:500]
    if request.form.get("action") != "trash" or not ids:
        flash(_("Select at least one company and an action."), "error")
        return see_other("companies.companies")
    count = services.trash_companies(ids)
    db.session.commit()
    flash(_("%(n)s record(s) moved to the trash: the companies and their contacts.", n=count), "success")
    return see_other("companies.companies")


@bp.post("/<int:company_id>/trash")
@allow("tenant_member")
def trash(company_id: int):
    services.trash_companies([_company(company_id).id])
    db.session.commit()
    flash(_("The company and its contacts were moved to the trash."), "success")
    return see_other("companies.companies")


@bp.post("/<int:company_id>/contacts")
@allow("tenant_member")
def link(company_id: int):
    record = _company(company_id)
    value = request.form.get("contact_id", "")
    contact = services.link_contact(record, int(value)) if value.isdigit() and len(value) < 19 else None
    if contact is None:
        flash(_("Choose a contact to link."), "error")
        return see_other("companies.company", company_id=record.id)
    db.session.commit()
    flash(_("%(name)s now belongs to this company.", name=contact.full_name), "success")
    return see_other("companies.company", company_id=record.id)


@bp.post("/<int:company_id>/contacts/<int:contact_id>/unlink")
@allow("tenant_member")
def unlink(company_id: int, contact_id: int):
    record = _company(company_id)
    contact = services.unlink_contact(record, contact_id) or abort(404)
    db.session.commit()
    flash(_("%(name)s no longer belongs to this company.", name=contact.full_name), "success")
    return see_other("companies.company", company_id=record.id)


@bp.get("/<int:company_id>/contact-options")
@allow("tenant_member")
def contact_options(company_id: int):
    record = _company(company_id)
    options = services.contact_choices(request.args.get("q", ""), record)
    return render("crm/company_link.html", "crm/_contact_options.html", company=record, options=options,
                  query=request.args.get("q", ""))


@bp.get("/options")
@allow("tenant_member")
def options():
    """Suggestions for the company picker of the contact form (a datalist)."""
    return render_template("crm/_company_options.html", options=services.choices(request.args.get("company", "")))
