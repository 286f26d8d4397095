"""The consultants' side of "Invite consultant": the tenants that granted access, their settings.

``/consultant/tenants/<tenant_id>/...`` is guarded by the policy rule ``consultant_grant``: a
consultant without an active grant for that tenant gets 403 from ``authz.enforce`` before the
view runs. The requests carry no tenant, so no customer data can be read here.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.tenant_admin import consulting, grants

bp = Blueprint("consultant", __name__, url_prefix="/consultant")


@bp.get("/tenants")
@allow("staff:consultant")
def tenants():
    return render("tenant_admin/consultant_tenants.html", "tenant_admin/_consultant_tenants.html",
                  rows=grants.tenants_for(current_user.id))


@bp.get("/tenants/<int:tenant_id>/settings")
@allow("consultant_grant")
def settings(tenant_id: int):
    tenant = consulting.view_settings(current_user, tenant_id) or abort(404)
    return render("tenant_admin/consultant_settings.html", "tenant_admin/_consultant_settings.html",
                  tenant=tenant, form=EmptyForm())


@bp.post("/tenants/<int:tenant_id>/security")
@allow("consultant_grant")
def security(tenant_id: int):
    tenant = consulting.find(tenant_id) or abort(404)
    if consulting.set_require_2fa(current_user, tenant, request.form.get("require_2fa") == "1"):
        flash(_("The sign-in rules of %(tenant)s were saved.", tenant=tenant.name), "success")
    db.session.commit()
    return see_other("tenant_admin.consultant.settings", tenant_id=tenant_id)
