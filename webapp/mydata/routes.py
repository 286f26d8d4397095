"""The "my data" portal: prove an address by a one-time link, then see everything held about it."""

from __future__ import annotations

from flask import Blueprint, flash, request
from flask_babel import format_date
from flask_babel import gettext as _

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.dsr.forms import PortalRequestForm
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.mydata import access, requests, services
from webapp.mydata.forms import LinkForm

bp = Blueprint("mydata", __name__, url_prefix="/my-data")


@bp.route("", methods=["GET", "POST"])
@allow("public")
def index():
    email = access.current_email()
    if email is not None:
        return _report(email)
    form = LinkForm()
    if form.validate_on_submit():
        access.request_link(form.email.data)
        db.session.commit()
        return render("mydata/sent.html", "mydata/_sent.html")
    return render("mydata/start.html", "mydata/_start.html", status=422 if form.errors else 200, form=form)


def _report(email: str, request_form=None, status: int = 200):
    from webapp.dsr.services import of_person

    return render("mydata/report.html", "mydata/_report.html", status=status, email=email, form=EmptyForm(),
                  entries=services.report(email, _consent_id()), requests=of_person(email),
                  request_form=request_form or PortalRequestForm(formdata=None))


@bp.post("/requests")
@allow("public")
def make_request():
    email = access.current_email()
    if email is None:
        return see_other("mydata.index")
    form = PortalRequestForm()
    if not form.validate_on_submit():
        return _report(email, form, 422)
    made = requests.submit(email, form.kind.data, form.details.data or None)
    db.session.commit()
    flash(_("Done.") if made.state == "done" else
          _("We received your request and will answer by %(d)s.", d=format_date(made.due_on, "long")), "success")
    return see_other("mydata.index")


def _consent_id() -> str | None:
    try:
        from webapp.consent.services import consent_id

        return consent_id()
    except ImportError:  # pragma: no cover - the consent feature is part of the app
        return None


@bp.route("/open/<token>", methods=["GET", "POST"])
@allow("public")
def open_link(token: str):
    """GET shows a button: mail scanners that fetch links must not use up the one-time link."""
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        email = access.redeem(token)
        db.session.commit()
        if email is None:
            return render("mydata/invalid.html", "mydata/_invalid.html", status=410)
        access.open_session(email)
        return see_other("mydata.index")
    return render("mydata/open.html", "mydata/_open.html", form=form, token=token)


@bp.post("/close")
@allow("public")
def close():
    EmptyForm().validate_on_submit()
    access.close_session()
    return see_other("mydata.index")
