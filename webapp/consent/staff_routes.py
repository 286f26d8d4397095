"""Staff: consent evidence (range, lookup by consent id, CSV/JSON export) and the marketing tags."""

from __future__ import annotations

from flask import Blueprint, Response, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.events import security_event
from webapp.authz import allow
from webapp.consent import evidence, tags
from webapp.consent.forms import RangeForm, TagSettingsForm
from webapp.errors import error_response
from webapp.extensions import db
from webapp.http import render, see_other

bp = Blueprint("consent_staff", __name__, url_prefix="/staff")
EVIDENCE_ROLES = "staff:privacy_officer"
TAG_ROLES = "staff:operator"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _range(form: RangeForm):
    """(start, end) of a valid form, else None with the form's errors filled in."""
    if not form.validate():
        return None
    try:
        return evidence.date_range(form.start.data, form.end.data)
    except evidence.RangeError:
        form.end.errors.append(_("Choose an end on or after the start, at most ten years apart."))
        return None


@bp.get("/consents")
@allow(EVIDENCE_ROLES)
def evidence_list():
    form = RangeForm(request.args)
    window = _range(form)
    if window is None:
        return render("consent/evidence.html", "consent/_evidence.html", status=422, form=form, rows=[],
                      window=None, formats=FORMATS)
    consent_id = form.consent_id.data or None
    rows = evidence.decisions(*window, consent_id=consent_id, limit=evidence.PAGE_ROWS)
    if consent_id:
        security_event("personal_data_viewed", current_user, view="consent.evidence", consent_lookup=True)
    return render("consent/evidence.html", "consent/_evidence.html", form=form, rows=rows, window=window,
                  formats=FORMATS)


@bp.get("/consents/export.<fmt>")
@allow(EVIDENCE_ROLES)
def evidence_export(fmt: str):
    if fmt not in FORMATS:
        return error_response(404)
    form = RangeForm(request.args)
    window = _range(form)
    if window is None:
        errors = "; ".join(str(e) for field in form for e in field.errors)
        return error_response(400, errors or _("Choose a valid date range."))
    rows = evidence.decisions(*window, consent_id=form.consent_id.data or None)
    security_event("personal_data_viewed", current_user, view="consent.evidence_export", format=fmt,
                   rows=len(rows))
    body = evidence.to_csv(rows) if fmt == "csv" else evidence.to_json(rows)
    name = f"consent-evidence-{window[0].isoformat()}-{window[1].isoformat()}.{fmt}"
    response = Response(body, mimetype=FORMATS[fmt].split(";")[0], content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/marketing-tags")
@allow(TAG_ROLES)
def tag_settings():
    form = TagSettingsForm(obj=tags.tag_settings())
    return render("consent/tags.html", "consent/_tags_form.html", form=form)


@bp.post("/marketing-tags")
@allow(TAG_ROLES)
def save_tag_settings():
    form = TagSettingsForm()
    if not form.validate():
        return render("consent/tags.html", "consent/_tags_form.html", status=422, form=form)
    tags.save_settings(**{name: form[name].data or ("" if name.endswith(("_id", "_label")) else False)
                          for name in ("google_ads_enabled", "google_ads_id", "google_ads_conversion_label",
                                       "facebook_pixel_enabled", "facebook_pixel_id")})
    db.session.commit()
    flash(_("Marketing tags saved."), "success")
    return see_other("consent_staff.tag_settings")
