"""Staff pages of the operator's own leads: the list (active search, keyset paging) and the lead record."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from webapp.accounts.events import security_event
from webapp.authz import allow
from webapp.calls import services as calls
from webapp.calls.forms import CallForm
from webapp.extensions import db
from webapp.http import redirect_to, render, wants_partial
from webapp.leads.models import Lead
from webapp.legalbasis import services as ledger
from webapp.newsletter.models import NewsletterSubscription
from webapp.profiles import services
from webapp.profiles.forms import NEWSLETTER_LABELS, SOURCE_LABELS, ProfileForm
from webapp.workshops.models import BookingRequest

bp = Blueprint("leads_staff", __name__, url_prefix="/staff/leads")
SALES = "staff:consultant,sales"
MAX_ID = 2**31 - 1  # ids beyond an INTEGER column cannot exist (PostgreSQL would refuse the comparison)


def valid_id(value: int | None) -> int | None:
    return value if value is not None and 0 < value <= MAX_ID else None


@bp.get("")
@allow(SALES)
def index():
    after = valid_id(request.args.get("after", type=int))
    page = services.lead_page(request.args.get("q", ""), after)
    security_event("personal_data_viewed", current_user, view="leads.list")
    return render("profiles/leads.html", "profiles/_lead_results.html", page=page, source_labels=SOURCE_LABELS)


def record_context(lead: Lead, profile_form: ProfileForm | None = None, call_form: CallForm | None = None) -> dict:
    profile = services.profile_of(lead.id)
    if profile_form is None:
        profile_form = ProfileForm(formdata=None, obj=profile)
    if call_form is None:
        call_form = CallForm(formdata=None)
    subscription = db.session.scalars(select(NewsletterSubscription).where(
        NewsletterSubscription.lead_id == lead.id)).first()
    workshop_requests = db.session.scalar(select(func.count()).select_from(BookingRequest)
                                          .where(BookingRequest.lead_id == lead.id))
    return {"lead": lead, "profile": profile, "profile_form": profile_form, "call_form": call_form,
            "history": ledger.history(lead.id), "subscription": subscription,
            "workshop_requests": workshop_requests, "calls": calls.calls_of(lead.id),
            "may_review": calls.may_review(current_user), "source_labels": SOURCE_LABELS,
            "newsletter_labels": NEWSLETTER_LABELS}


def lead_or_404(lead_id: int) -> Lead:
    return (valid_id(lead_id) and db.session.get(Lead, lead_id)) or abort(404)


@bp.get("/<int:lead_id>")
@allow(SALES)
def record(lead_id: int):
    lead = lead_or_404(lead_id)
    security_event("personal_data_viewed", current_user, view="leads.record", lead_id=lead.id)
    return render("profiles/record.html", "profiles/_record.html", **record_context(lead))


@bp.post("/<int:lead_id>/profile")
@allow(SALES)
def update_profile(lead_id: int):
    lead = lead_or_404(lead_id)
    form = ProfileForm()
    if not form.validate_on_submit():
        return render("profiles/record.html", "profiles/_profile.html", status=422,
                      **record_context(lead, profile_form=form))
    services.update(lead, form.values(), current_user.id)
    db.session.commit()
    if wants_partial():
        return render("profiles/record.html", "profiles/_profile.html", saved=True,
                      **record_context(lead, profile_form=form))
    flash(_("The profile was saved."), "success")
    return redirect_to(url_for("leads_staff.record", lead_id=lead.id))


@bp.post("/<int:lead_id>/reply")
@allow(SALES)
def log_reply(lead_id: int):
    """The person answered us (by e-mail or letter): an interaction that counts for their retention clock."""
    from webapp.accounts.forms import EmptyForm
    from webapp.leads import services as leads

    EmptyForm().validate_on_submit() or abort(400)
    lead = lead_or_404(lead_id)
    leads.touch(lead)
    db.session.commit()
    flash(_("The reply was noted; the last interaction is now."), "success")
    return redirect_to(url_for("leads_staff.record", lead_id=lead.id))
