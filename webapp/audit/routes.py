"""The tenant's audit log (admins) and trash (members)."""

from __future__ import annotations

from flask import Blueprint, flash, request
from flask_babel import gettext as _
from flask_babel import ngettext

from webapp.audit import filters as audit_filters
from webapp.audit import registry, services, views
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other

bp = Blueprint("audit", __name__)
trash_bp = Blueprint("trash", __name__)


@bp.get("/audit")
@allow("tenant_admin")
def log():
    filters = audit_filters.parse(request.args)
    page = None if filters.errors else services.log_page(filters)
    return render("audit/log.html", "audit/_log_results.html", status=422 if filters.errors else 200,
                  filters=filters, page=page, users=views.tenant_users(), record_types=registry.specs(),
                  actions=views.ACTION_LABELS)


@trash_bp.get("/trash")
@allow("tenant_member")
def index():
    return render("audit/trash.html", "audit/_trash.html", groups=services.trash_listing(),
                  retention_days=services.retention_days())


@trash_bp.post("/trash/restore")
@allow("tenant_member")
def restore():
    one = request.form.get("one")
    chosen = [one] if one else request.form.getlist("item")
    if not services.parse_items(chosen):
        flash(_("Choose what to restore."), "error")
        return see_other("trash.index")
    count = services.restore_items(chosen)
    db.session.commit()
    if count:
        flash(ngettext("%(num)d record was restored.", "%(num)d records were restored.", count), "success")
    else:
        flash(_("Nothing was restored: those records are no longer in the trash."), "error")
    return see_other("trash.index")
