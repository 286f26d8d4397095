"""Inviting people (tenant admins) and accepting an invitation (anyone holding the link)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts import services as accounts
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.tenant_admin import invitations
from webapp.tenant_admin.forms import AcceptInvitationForm, InviteForm
from webapp.tenant_admin.services import Refused
from webapp.tenants.models import Tenant

bp = Blueprint("invitations", __name__)


@bp.route("/settings/users/invite", methods=["GET", "POST"])
@allow("tenant_admin")
def new():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitations.invite(current_user, form.email.data, form.name.data, form.role.data)
        except Refused as refused:
            form.email.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("We sent an invitation to %(email)s. The link works for 7 days.", email=form.email.data),
                  "success")
            return see_other("tenant_admin.users")
    status = 422 if request.method == "POST" else 200
    return render("tenant_admin/invite.html", "tenant_admin/_invite_form.html", status=status, form=form)


@bp.post("/settings/invitations/<int:invitation_id>/withdraw")
@allow("tenant_admin")
def withdraw(invitation_id: int):
    if not invitations.withdraw(current_user, invitation_id):
        abort(404)
    db.session.commit()
    flash(_("The invitation was withdrawn; its link no longer works."), "success")
    return see_other("tenant_admin.users")


@bp.route("/invite/<token>", methods=["GET", "POST"])
@allow("public")
def accept(token: str):
    found = invitations.find(token)
    if found.status != "valid":
        return _invalid(found.status)
    row = found.invitation
    tenant = db.session.get(Tenant, row.tenant_id)
    form = AcceptInvitationForm(name=row.name) if request.method == "GET" else AcceptInvitationForm()
    if form.validate_on_submit():
        problems = accounts.password_problems(form.password.data, extra=[form.name.data, row.email, tenant.name])
        form.password.errors.extend(str(problem) for problem in problems)
        if not problems:
            return _create(row, form)
    status = 422 if request.method == "POST" else 200
    return render("tenant_admin/accept.html", "tenant_admin/_accept_form.html", status=status, form=form,
                  token=token, invitation=row, tenant=tenant)


def _create(row, form):
    try:
        invitations.accept(row, form.name.data, form.password.data)
    except invitations.Gone:
        db.session.rollback()
        return _invalid("gone")
    except invitations.AlreadyRegistered:
        db.session.rollback()
        flash(_("An account already uses this address. Please sign in with it."), "info")
        return see_other("accounts.login")
    db.session.commit()
    flash(_("Your account is ready. Please sign in."), "success")
    return see_other("accounts.login")


def _invalid(status: str):
    code = 410 if status == "gone" else 404
    return render_template("tenant_admin/invitation_invalid.html", gone=code == 410), code
