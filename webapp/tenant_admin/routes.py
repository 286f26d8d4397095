"""Tenant admins: their users (roles, disabling, unlocking) and the tenant's sign-in rules.

Row actions answer an htmx request with the updated table row (``_user_row.html``) and a plain
form post with 303 back to the list. The feature's other blueprints are nested here, so the
app registers only ``bp``: invitations (``/settings/users/invite``, ``/invite/<token>``),
consultant grants (``/settings/consultants``) and the consultants' own pages (``/consultant``).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other, wants_partial
from webapp.tenant_admin import cli, consultant_routes, grant_routes, invitation_routes, invitations, services
from webapp.tenant_admin.forms import RoleForm

bp = Blueprint("tenant_admin", __name__, cli_group=None)
for child in (invitation_routes.bp, grant_routes.bp, consultant_routes.bp):
    bp.register_blueprint(child)
bp.cli.add_command(cli.tenants)


@bp.get("/settings/users")
@allow("tenant_admin")
def users():
    return render("tenant_admin/users.html", "tenant_admin/_users.html",
                  rows=services.users_of(current_user.tenant_id), tenant=current_user.tenant,
                  invitations=invitations.pending_for(current_user.tenant_id), form=EmptyForm())


def _member(user_id: int):
    return services.member(current_user.tenant_id, user_id) or abort(404)


def _answer(user, error: str | None = None):
    """The updated row for htmx (409 with the reason when refused), else 303 to the list."""
    if error:
        db.session.rollback()
    else:
        db.session.commit()
    if not wants_partial():
        if error:
            flash(error, "error")
        return see_other("tenant_admin.users")
    response = make_response(render_template("tenant_admin/_user_row.html", row=services.row_of(user), error=error),
                             409 if error else 200)
    response.vary.add("HX-Request")
    return response


@bp.post("/settings/users/<int:user_id>/unlock")
@allow("tenant_admin")
def unlock(user_id: int):
    user = _member(user_id)
    if services.unlock(current_user, user) and not wants_partial():
        flash(_("%(name)s can sign in again.", name=user.name), "success")
    return _answer(user)


@bp.post("/settings/users/<int:user_id>/role")
@allow("tenant_admin")
def role(user_id: int):
    user = _member(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _answer(user, _("Choose a role from the list."))
    try:
        if services.change_role(current_user, user, form.role.data) and not wants_partial():
            flash(_("%(name)s's role was changed.", name=user.name), "success")
    except services.Refused as refused:
        return _answer(user, str(refused))
    return _answer(user)


@bp.post("/settings/users/<int:user_id>/disable")
@allow("tenant_admin")
def disable(user_id: int):
    user = _member(user_id)
    try:
        if services.disable(current_user, user) and not wants_partial():
            flash(_("%(name)s was disabled and signed out everywhere.", name=user.name), "success")
    except services.Refused as refused:
        return _answer(user, str(refused))
    return _answer(user)


@bp.post("/settings/users/<int:user_id>/enable")
@allow("tenant_admin")
def enable(user_id: int):
    user = _member(user_id)
    if services.enable(current_user, user) and not wants_partial():
        flash(_("%(name)s can sign in again.", name=user.name), "success")
    return _answer(user)


@bp.post("/settings/security")
@allow("tenant_admin")
def security():
    services.set_require_2fa(current_user, current_user.tenant, request.form.get("require_2fa") == "1")
    db.session.commit()
    flash(_("The sign-in rules of your organisation were saved."), "success")
    return see_other("tenant_admin.users")
