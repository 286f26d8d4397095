"""Workshop pages: the public sign-up, "no further contact", and the consultants' booking list."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_babel import to_utc
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.workshops import services
from webapp.workshops.forms import BookingForm, WorkshopForm
from webapp.workshops.models import BookingRequest

bp = Blueprint("workshops", __name__)
CONSULTANTS = "staff:consultant,sales"


@bp.route("/workshop", methods=["GET", "POST"])
@allow("public")
def signup():
    form = WorkshopForm()
    if form.validate_on_submit():
        services.register(form.name.data.strip(), form.email.data, form.phone.data, form.topic.data,
                          form="site:workshop")
        db.session.commit()
        return see_other("workshops.thanks")
    status = 422 if request.method == "POST" else 200
    return render("workshops/signup.html", "workshops/_signup.html", status=status, form=form)


@bp.get("/workshop/thanks")
@allow("public")
def thanks():
    return render("newsletter/message.html", "newsletter/_message.html", title=_("Thank you"),
                  message=_("We have your request. A consultant will get in touch to find a date."))


@bp.route("/no-further-contact/<token>", methods=["GET", "POST"])
@allow("public")
def stop_contact(token: str):
    lead = services.lead_by_stop_token(token)
    if lead is None:
        return render("newsletter/message.html", "newsletter/_message.html", status=404, title=_("Link not valid"),
                      message=_("This link is not valid. Please use the link from our e-mail."))
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        services.stop_contact(lead, "contact_stop_requested", form="stop-link")
        db.session.commit()
        return render("newsletter/message.html", "newsletter/_message.html", title=_("We will not contact you"),
                      message=_("Done. We will not call, text or e-mail you any more."))
    return render("workshops/stop.html", "workshops/_stop.html", form=form, token=token,
                  stopped=lead.contact_stopped_at is not None)


@bp.get("/staff/workshops")
@allow(CONSULTANTS)
def requests():
    return render("workshops/requests.html", "workshops/_requests.html", requests=services.call_list(),
                  appointments=services.upcoming(current_user), form=BookingForm(formdata=None), action=EmptyForm())


@bp.post("/staff/workshops/<int:request_id>/book")
@allow(CONSULTANTS)
def book(request_id: int):
    booking = db.session.get(BookingRequest, request_id) or abort(404)
    form = BookingForm()
    if form.validate_on_submit():
        starts_at = to_utc(form.starts_at.data).replace(tzinfo=UTC)
        try:
            services.book(booking, current_user, starts_at, form.duration.data)
        except ValueError:
            flash(_("This request can no longer be booked."), "error")
            return see_other("workshops.requests")
        db.session.commit()
        flash(_("The appointment was booked."), "success")
        return see_other("workshops.requests")
    return render("workshops/requests.html", "workshops/_requests.html", status=422, requests=services.call_list(),
                  appointments=services.upcoming(current_user), form=form, action=EmptyForm(), failed_id=request_id)


@bp.post("/staff/workshops/<int:request_id>/stop")
@allow(CONSULTANTS)
def staff_stop(request_id: int):
    booking = db.session.get(BookingRequest, request_id) or abort(404)
    EmptyForm().validate_on_submit() or abort(400)
    services.stop_contact(booking.lead, "contact_stop_by_phone", form=f"staff:{current_user.id}")
    db.session.commit()
    flash(_("Contact stopped on every channel."), "success")
    return see_other("workshops.requests")
