"""Sign in (password, then a second factor on new devices) and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from webapp.accounts import login_flow, services, sessions
from webapp.accounts.events import security_event
from webapp.accounts.forms import EmptyForm, LoginForm, SecondFactorForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import redirect_to, render, see_other
from webapp.twofactor import recovery, sms, totp

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@allow("public")
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        attempt = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        if attempt.user is not None:
            response = login_flow.finish_primary(attempt.user, "password", form.next.data)
            db.session.commit()
            return response
        db.session.commit()
        status = 429 if attempt.ip_throttled else 422
        form.password.errors.append(
            _("Too many failed sign-ins from your network. Please wait a while and try again.")
            if attempt.ip_throttled else _("The e-mail address or the password is not correct."))
    elif request.method == "POST":
        status = 422
    return render("accounts/login.html", "accounts/_login_form.html", status=status, form=form)


@bp.route("/login/verify", methods=["GET", "POST"])
@allow("pending_login")
def verify():
    user = login_flow.pending_user()
    if user is None:
        flash(_("Your sign-in expired. Please start again."), "error")
        return see_other("accounts.login")
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        code = form.code.data
        if totp.verify(user.id, code) or sms.verify(user.id, code) or recovery.use(user.id, code):
            security_event("mfa_ok", user)
            response = login_flow.complete_pending(trust_device=form.trust_device.data)
            db.session.commit()
            return response
        security_event("mfa_failed", user)
        db.session.commit()
        form.code.errors.append(_("This code is not valid. Codes can be used only once."))
        status = 422
    elif request.method == "POST":
        status = 422
    return render("accounts/verify.html", "accounts/_verify_form.html", status=status, form=form,
                  has_totp=totp.is_enrolled(user.id), has_phone=bool(user.phone), sms_form=EmptyForm())


@bp.post("/login/verify/sms")
@allow("pending_login")
def send_sms_code():
    user = login_flow.pending_user()
    if user is None or not user.phone:
        return see_other("accounts.login")
    try:
        sms.send_code(user.id, user.phone)
        db.session.commit()
        flash(_("We sent a code to your phone. It is valid for 5 minutes."), "info")
    except sms.SmsRateLimited as limited:
        db.session.rollback()
        flash(str(limited), "error")
    return see_other("accounts.verify")


@bp.post("/logout")
@allow("authenticated")
def logout():
    row = sessions.current()
    if row is not None:
        sessions.end(row, "logout")
    security_event("session_end", current_user, reason="logout")
    logout_user()
    session.clear()
    db.session.commit()
    flash(_("You have been logged out."), "info")
    return redirect_to(url_for("public.home"))
