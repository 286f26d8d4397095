"""Tenant admins: see their users, unlock locked accounts, require a second factor for everyone."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.tenant_admin import services

bp = Blueprint("tenant_admin", __name__, url_prefix="/settings")


@bp.get("/users")
@allow("tenant_admin")
def users():
    return render("tenant_admin/users.html", "tenant_admin/_users.html",
                  rows=services.users_of(current_user.tenant_id), tenant=current_user.tenant, form=EmptyForm())


@bp.post("/users/<int:user_id>/unlock")
@allow("tenant_admin")
def unlock(user_id: int):
    user = services.member(current_user.tenant_id, user_id)
    if user is None:
        abort(404)
    if services.unlock(current_user, user):
        flash(_("%(name)s can sign in again.", name=user.name), "success")
    db.session.commit()
    return see_other("tenant_admin.users")


@bp.post("/security")
@allow("tenant_admin")
def security():
    services.set_require_2fa(current_user, current_user.tenant, request.form.get("require_2fa") == "1")
    db.session.commit()
    flash(_("The sign-in rules of your organisation were saved."), "success")
    return see_other("tenant_admin.users")
