"""Operator support: find an account by e-mail address and unlock it (no customer data shown)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts import lockout, services
from webapp.accounts.events import security_event
from webapp.accounts.forms import EmptyForm
from webapp.accounts.models import User
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.tenant_admin.services import unlock as unlock_user

bp = Blueprint("staff", __name__, url_prefix="/staff")
SUPPORT_ROLES = "staff:support,operator"


@bp.get("/accounts")
@allow(SUPPORT_ROLES)
def accounts():
    query = request.args.get("email", "")[:254]
    user = services.find_by_email(query) if query else None
    if user is not None:
        security_event("personal_data_viewed", current_user, view="staff.accounts", subject_user_id=user.id)
    return render("staff/accounts.html", "staff/_accounts.html", query=query, user=user,
                  locked_until=lockout.locked_until(user.id) if user else None, form=EmptyForm())


@bp.post("/accounts/<int:user_id>/unlock")
@allow(SUPPORT_ROLES)
def unlock(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if unlock_user(current_user, user):
        flash(_("The account can sign in again."), "success")
    db.session.commit()
    return see_other("staff.accounts", email=user.email)
