"""The embeddable widgets (/embed/<kind>) and the operator's list of sites allowed to embed them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.security import allow_framing
from webapp.widgets import services, signups
from webapp.widgets.forms import OriginForm, widget_form_class

bp = Blueprint("widgets", __name__)


@bp.route("/embed/<kind>", methods=["GET", "POST"])
@allow("public")
def frame(kind: str):
    if kind not in services.KINDS:
        abort(404)
    form = widget_form_class(kind)()
    status, done, problem, origin = 200, False, None, None
    if request.method == "POST":
        status, done, problem, origin = _submit(kind, form)
    else:
        origin = services.embedding_origin()
    form.wt.data = services.form_token(kind, origin)  # a fresh token for the next try (or the next person)
    response = make_response(render_template("widgets/frame.html", kind=kind, form=form, done=done,
                                             problem=problem, lang=request.args.get("lang", "")[:5]), status)
    response.headers["Cache-Control"] = "no-store"
    return allow_framing(response, " ".join(["'self'", *services.allowed_origins()]))


def _submit(kind: str, form) -> tuple[int, bool, str | None, str | None]:
    try:
        origin = services.check_token(kind, request.form.get("wt"))
    except services.TokenRefused as refusal:
        return 400, False, _token_message(refusal.reason), None
    if not form.validate():
        return 422, False, None, origin
    if not services.within_limits(kind):
        return 429, False, _("Too many sign-ups from here just now. Please try again in an hour."), origin
    signups.store(kind, form, f"widget:{kind}:{origin or 'unlisted'}")
    db.session.commit()
    return 200, True, None, origin


def _token_message(reason: str) -> str:
    if reason == "expired":
        return _("This form was open for a long time. Please fill it in again.")
    if reason == "too_fast":
        return _("That was very fast. Please check the form and send it again.")
    return _("This form could not be checked. Please reload the page and try again.")


@bp.route("/staff/widgets", methods=["GET", "POST"])
@allow("staff:operator")
def origins():
    form = OriginForm()
    if form.validate_on_submit():
        if services.add_origin(form.origin.data, current_user.id) is None:
            form.origin.errors = [_("Enter a site address such as https://www.example.com (no path).")]
        else:
            db.session.commit()
            flash(_("The site may now embed the widgets."), "success")
            return see_other("widgets.origins")
    status = 422 if form.errors else 200
    return render("widgets/origins.html", "widgets/_origins.html", status=status, form=form,
                  rows=services.allowed_origin_rows(), kinds=services.KINDS, action=EmptyForm())


@bp.post("/staff/widgets/<int:origin_id>/remove")
@allow("staff:operator")
def remove_origin(origin_id: int):
    EmptyForm().validate_on_submit() or abort(400)
    if services.remove_origin(origin_id):
        db.session.commit()
        flash(_("The site can no longer embed the widgets."), "success")
    return see_other("widgets.origins")
