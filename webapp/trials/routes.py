"""Trial pages: the public sign-up and terms; the tenant admin's trial status and "close trial"."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.tenants.models import Tenant
from webapp.trials import services
from webapp.trials.forms import DECLARATION, TrialForm

bp = Blueprint("trials", __name__)


@bp.route("/trial", methods=["GET", "POST"])
@allow("public")
def signup():
    form = TrialForm()
    terms = services.current_terms() or abort(503)
    if form.validate_on_submit():
        services.sign_up(form.name.data.strip(), form.email.data, form.phone.data, form.company.data,
                         form.statements(), form="site:trial")
        db.session.commit()
        return see_other("trials.check_inbox")
    status = 422 if request.method == "POST" else 200
    return render("trials/signup.html", "trials/_signup.html", status=status, form=form, terms=terms,
                  declaration=DECLARATION)


@bp.get("/trial/check-your-inbox")
@allow("public")
def check_inbox():
    return render("newsletter/message.html", "newsletter/_message.html", title=_("Check your inbox"),
                  message=_("We sent a link to activate your trial. It works once, for 7 days."))


@bp.get("/terms")
@allow("public")
def terms():
    return render("trials/terms.html", "trials/_terms.html", terms=services.current_terms() or abort(404))


@bp.get("/settings/trial")
@allow("tenant_admin")
def status():
    tenant = db.session.get(Tenant, current_user.tenant_id) or abort(404)
    ends_on = (tenant.created_at + timedelta(days=current_app.config["TRIAL_LENGTH_DAYS"])).date()
    return render("trials/status.html", "trials/_status.html", tenant=tenant, ends_on=ends_on, form=EmptyForm(),
                  data_days=current_app.config["TRIAL_DATA_DAYS"])


@bp.post("/settings/trial/close")
@allow("tenant_admin")
def close():
    tenant = db.session.get(Tenant, current_user.tenant_id) or abort(404)
    EmptyForm().validate_on_submit() or abort(400)
    if tenant.state != "trial":
        return see_other("trials.status")
    services.close(tenant, current_user)
    db.session.commit()
    logout_user()
    return render("newsletter/message.html", "newsletter/_message.html", title=_("Your trial is closed"),
                  message=_("Your data stays for %(days)s days. Start a subscription before then and you keep "
                            "everything; after that it is deleted for good.",
                            days=current_app.config["TRIAL_DATA_DAYS"]))
