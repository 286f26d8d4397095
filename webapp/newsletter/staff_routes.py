"""Staff: newsletter figures and campaigns."""

from __future__ import annotations

from flask import Blueprint, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.newsletter import campaigns, services
from webapp.newsletter.forms import CampaignForm
from webapp.segments import services as segment_services

bp = Blueprint("newsletter_staff", __name__, url_prefix="/staff/newsletter")
MARKETING = "staff:sales,operator"


@bp.route("", methods=["GET", "POST"])
@allow(MARKETING)
def index():
    form = CampaignForm()
    form.set_segments(segment_services.all_segments())
    if form.validate_on_submit():
        segment = segment_services.get(form.segment_id()) if form.segment_id() else None
        campaigns.create(form.subject.data, form.body.data, request.host_url, current_user.id, segment)
        db.session.commit()
        flash(_("The campaign is being sent."), "success")
        return see_other("newsletter_staff.index")
    status = 422 if request.method == "POST" else 200
    recent = campaigns.recent()
    return render("newsletter/staff.html", "newsletter/_staff.html", status=status, form=form,
                  counts=services.counts(), campaigns=recent,
                  segment_names=segment_services.names_by_campaign([c.id for c in recent]))
