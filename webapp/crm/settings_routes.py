"""CRM settings for tenant admins: unique contact e-mail addresses (enforced by the database)."""

from __future__ import annotations

from flask import Blueprint, flash, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.crm import uniqueness
from webapp.extensions import db
from webapp.http import render, see_other

bp = Blueprint("crm_settings", __name__)


@bp.route("/contacts/settings", methods=["GET", "POST"])
@allow("tenant_admin")
def settings():
    form = EmptyForm()
    found: list = []
    if form.validate_on_submit():
        enabled = request.form.get("unique_email") == "on"
        try:
            found = uniqueness.set_unique_email(enabled)
            if not found:
                db.session.commit()
        except IntegrityError:  # a duplicate written meanwhile
            db.session.rollback()
            found = uniqueness.duplicates()
        if not found:
            flash(_("Unique e-mail addresses are now required.") if enabled
                  else _("Contacts may now share an e-mail address."), "success")
            return see_other("crm_settings.settings")
        db.session.rollback()
    status = 422 if found or (request.method == "POST" and form.errors) else 200
    return render("crm/settings.html", "crm/_settings.html", status=status, form=form, duplicates=found,
                  enabled=uniqueness.unique_email_enabled())
