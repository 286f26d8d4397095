"""Setting up second factors: an authenticator app (TOTP), a phone for SMS codes, recovery codes."""

from __future__ import annotations

import phonenumbers
from flask import Blueprint, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.events import security_event
from webapp.accounts.forms import EmptyForm, PhoneForm, SecondFactorForm
from webapp.accounts.login_flow import ENROL_REQUIRED
from webapp.accounts.reauth import require_recent_auth
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.twofactor import recovery, sms, totp

bp = Blueprint("twofactor", __name__, url_prefix="/account/2fa")
PENDING_PHONE = "pending_phone"


def _codes_page(codes: list[str]):
    response = render("twofactor/recovery_codes.html", "twofactor/_recovery_codes.html", codes=codes)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/setup")
@allow("authenticated")
@require_recent_auth
def setup():
    if totp.is_enrolled(current_user.id):
        return see_other("account.security")
    secret = totp.pending_secret(current_user.id) or totp.begin_enrolment(current_user.id)
    db.session.commit()
    uri = totp.provisioning_uri(secret, current_user.email)
    return render("twofactor/setup.html", "twofactor/_setup.html", secret=secret, qr=totp.qr_svg(uri),
                  form=SecondFactorForm(), required=session.get(ENROL_REQUIRED, False))


@bp.post("/confirm")
@allow("authenticated")
def confirm():
    form = SecondFactorForm()
    if form.validate_on_submit() and totp.verify(current_user.id, form.code.data, confirming=True):
        codes = recovery.generate(current_user.id)
        session.pop(ENROL_REQUIRED, None)
        security_event("mfa_enabled", current_user, method="totp")
        db.session.commit()
        return _codes_page(codes)
    flash(_("That code did not match. Check the time on your phone and enter the newest code."), "error")
    return see_other("twofactor.setup")


@bp.post("/recovery-codes")
@allow("authenticated")
@require_recent_auth
def recovery_codes():
    codes = recovery.generate(current_user.id)
    security_event("recovery_codes_regenerated", current_user)
    db.session.commit()
    return _codes_page(codes)


@bp.post("/totp/remove")
@allow("authenticated")
@require_recent_auth
def remove_totp():
    if current_user.tenant is not None and current_user.tenant.require_2fa and not current_user.phone:
        flash(_("Your organisation requires a second factor. Add a phone number before removing the app."), "error")
        return see_other("account.security")
    totp.remove(current_user.id)
    security_event("mfa_disabled", current_user, method="totp")
    db.session.commit()
    flash(_("The authenticator app was removed."), "success")
    return see_other("account.security")


@bp.route("/phone", methods=["GET", "POST"])
@allow("authenticated")
@require_recent_auth
def phone():
    form = PhoneForm()
    if form.validate_on_submit():
        number = _e164(form.phone.data)
        if number is None:
            form.phone.errors.append(_("Please enter a valid mobile number with country code, e.g. +36 20 123 4567."))
        else:
            try:
                sms.send_code(current_user.id, number)
            except sms.SmsRateLimited as limited:
                form.phone.errors.append(str(limited))
            else:
                session[PENDING_PHONE] = number
                db.session.commit()
                return see_other("twofactor.confirm_phone")
    status = 422 if request.method == "POST" else 200
    return render("twofactor/phone.html", "twofactor/_phone_form.html", status=status, form=form)


def _e164(raw: str) -> str | None:
    try:
        parsed = phonenumbers.parse(raw, None if raw.strip().startswith("+") else "HU")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@bp.route("/phone/confirm", methods=["GET", "POST"])
@allow("authenticated")
def confirm_phone():
    number = session.get(PENDING_PHONE)
    if not number:
        return see_other("twofactor.phone")
    form = SecondFactorForm()
    if form.validate_on_submit():
        if sms.verify(current_user.id, form.code.data):
            current_user.phone = number
            session.pop(PENDING_PHONE, None)
            session.pop(ENROL_REQUIRED, None)
            security_event("mfa_enabled", current_user, method="sms")
            db.session.commit()
            flash(_("Your phone number is set up for sign-in codes."), "success")
            return see_other("account.security")
        form.code.errors.append(_("This code is not valid. Codes can be used only once."))
    status = 422 if request.method == "POST" else 200
    return render("twofactor/confirm_phone.html", "twofactor/_confirm_phone_form.html", status=status, form=form,
                  number=number, resend=EmptyForm())
