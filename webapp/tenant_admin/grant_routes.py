"""Tenant admins invite an operator consultant for a while, and revoke the access at any time."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.tenant_admin import grants
from webapp.tenant_admin.forms import GrantForm
from webapp.tenant_admin.services import Refused

bp = Blueprint("grants", __name__)


@bp.route("/settings/consultants", methods=["GET", "POST"])
@allow("tenant_admin")
def index():
    form = GrantForm()
    if form.validate_on_submit():
        try:
            grant = grants.grant(current_user, form.email.data, form.days.data)
        except Refused as refused:
            form.email.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("The consultant can see your organisation's settings until %(t)s.",
                    t=_format(grant.expires_at)), "success")
            return see_other("tenant_admin.grants.index")
    status = 422 if request.method == "POST" else 200
    return render("tenant_admin/consultants.html", "tenant_admin/_consultants.html", status=status, form=form,
                  grants=grants.grants_of(current_user.tenant_id))


def _format(moment) -> str:
    from flask_babel import format_datetime

    return format_datetime(moment, "short")


@bp.post("/settings/consultants/<int:grant_id>/revoke")
@allow("tenant_admin")
def revoke(grant_id: int):
    if not grants.revoke(current_user, grant_id):
        abort(404)
    db.session.commit()
    flash(_("The consultant's access was ended."), "success")
    return see_other("tenant_admin.grants.index")
