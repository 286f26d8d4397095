"""Privacy officers: the transfer log (automatic entries and ones recorded by hand)."""

from __future__ import annotations

from flask import Blueprint, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.events import security_event
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.transfers import services
from webapp.transfers.forms import TransferForm

bp = Blueprint("transfers", __name__, url_prefix="/privacy/transfers")
PRIVACY = "staff:privacy_officer"


@bp.route("", methods=["GET", "POST"])
@allow(PRIVACY)
def index():
    form = TransferForm()
    if form.validate_on_submit():
        services.record(services.Disclosure(
            recipient=form.recipient.data.strip(), recipient_kind=form.recipient_kind.data,
            legal_basis=form.legal_basis.data, purpose=form.purpose.data.strip(),
            data_description=form.data_description.data.strip(), subject_email=form.subject_email.data or None,
            subject_phone=form.subject_phone.data or None, recorded_by_id=current_user.id))
        db.session.commit()
        flash(_("The transfer was recorded."), "success")
        return see_other("transfers.index")
    recipient, person = request.args.get("recipient", "")[:100], request.args.get("person", "")[:254]
    before = request.args.get("before", "")
    rows = services.listing(recipient, person, int(before) if before.isdigit() else None)
    if person:
        security_event("personal_data_viewed", current_user, view="transfers.index")
    return render("transfers/index.html", "transfers/_index.html", status=422 if form.errors else 200, form=form,
                  rows=rows, recipient=recipient, person=person, page_size=services.PAGE)
