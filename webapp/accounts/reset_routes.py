"""Forgotten password: a single-use link by e-mail; a reset ends every session and never skips 2FA."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts import services, tokens
from webapp.accounts.events import security_event
from webapp.accounts.forms import ForgotPasswordForm, NewPasswordForm
from webapp.accounts.models import User
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other

bp = Blueprint("password", __name__, url_prefix="/password")


@bp.route("/forgot", methods=["GET", "POST"])
@allow("public")
def forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and user.active and user.password_hash:
            _send_reset_link(user)
        db.session.commit()
        flash(_("If an account uses this address, we have sent it a link to choose a new password."), "info")
        return see_other("accounts.login")
    return render("accounts/forgot.html", "accounts/_forgot_form.html",
                  status=422 if request.method == "POST" else 200, form=form)


def _send_reset_link(user) -> None:
    from webapp.messaging.services import queue_email

    token = tokens.issue(user.id, "password_reset")
    link = url_for("password.reset", token=token, _external=True)
    queue_email(user.email, _("Choose a new Bizalom password"),
                _("Someone asked to reset the password of your Bizalom account. To choose a new password, "
                  "open this link within 30 minutes:\n\n%(link)s\n\nIf this was not you, ignore this message; "
                  "your password stays as it is.", link=link), user_id=user.id)
    security_event("password_reset_requested", user)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@allow("public")
def reset(token: str):
    row = tokens.find_valid(token, "password_reset")
    if row is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = db.session.get(User, row.user_id)
        problems = services.password_problems(form.password.data, user)
        if not problems:
            services.set_password(user, form.password.data, reason="password_reset")
            tokens.consume(row)
            db.session.commit()
            flash(_("Your password was changed. Please sign in with it."), "success")
            return see_other("accounts.login")
        form.password.errors.extend(str(problem) for problem in problems)
    status = 422 if request.method == "POST" else 200
    return render("accounts/reset.html", "accounts/_reset_form.html", status=status, form=form, token=token)


@bp.post("/strength")
@allow("public")
def strength():
    """Inline feedback while typing (htmx); the same rules run again on submit."""
    password = request.form.get("password", "")[:1000]
    user = current_user if current_user.is_authenticated else None
    extra = [request.form.get("name", "")[:200], request.form.get("email", "")[:254]]
    problems = services.password_problems(password, user, extra) if password else []
    return render_template("accounts/_strength.html", password=password, problems=problems)
