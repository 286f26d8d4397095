"""A person's own security settings: sessions, trusted devices, password, e-mail address."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts import passwords, services, sessions, tokens
from webapp.accounts.events import security_event
from webapp.accounts.forms import ChangePasswordForm, EmailChangeForm, EmptyForm, ReauthForm
from webapp.accounts.models import User
from webapp.accounts.reauth import require_recent_auth
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import redirect_to, render, safe_next, see_other
from webapp.twofactor import devices, recovery, totp

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/security")
@allow("authenticated")
def security():
    user_id = current_user.id
    return render("accounts/security.html", "accounts/_security.html",
                  sessions=sessions.active_for(user_id), current=sessions.current(),
                  devices=devices.active_for(user_id), totp_enrolled=totp.is_enrolled(user_id),
                  recovery_left=recovery.remaining(user_id), form=EmptyForm())


@bp.post("/sessions/<int:session_id>/end")
@allow("authenticated")
def end_session(session_id: int):
    row = next((s for s in sessions.active_for(current_user.id) if s.id == session_id), None)
    if row is None:
        abort(404)
    sessions.end(row, "ended_by_user")
    security_event("session_end", current_user, reason="revoked", session=session_id)
    db.session.commit()
    flash(_("The session was ended."), "success")
    return see_other("account.security")


@bp.post("/devices/<int:device_id>/revoke")
@allow("authenticated")
def revoke_device(device_id: int):
    if not devices.revoke(current_user.id, device_id):
        abort(404)
    security_event("trusted_device_revoked", current_user, device=device_id)
    db.session.commit()
    flash(_("This browser will be asked for a second factor again."), "success")
    return see_other("account.security")


@bp.route("/password", methods=["GET", "POST"])
@allow("authenticated")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not passwords.verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is not correct."))
        else:
            problems = services.password_problems(form.password.data, current_user)
            form.password.errors.extend(str(p) for p in problems)
            if not problems:
                services.set_password(current_user, form.password.data, keep_session=sessions.current())
                db.session.commit()
                flash(_("Your password was changed. Your other sessions were ended."), "success")
                return see_other("account.security")
    status = 422 if request.method == "POST" else 200
    return render("accounts/change_password.html", "accounts/_change_password_form.html", status=status, form=form)


@bp.route("/email", methods=["GET", "POST"])
@allow("authenticated")
@require_recent_auth
def change_email():
    form = EmailChangeForm()
    if form.validate_on_submit():
        address = services.valid_email(form.email.data)
        if address is None:
            form.email.errors.append(_("Please enter a valid e-mail address."))
        else:
            _send_email_change(address)
            db.session.commit()
            flash(_("We sent a confirmation link to the new address. The change takes effect once you open it."),
                  "info")
            return see_other("account.security")
    status = 422 if request.method == "POST" else 200
    return render("accounts/change_email.html", "accounts/_change_email_form.html", status=status, form=form)


def _send_email_change(address: str) -> None:
    from webapp.messaging.services import queue_email

    if services.find_by_email(address) is None:  # a taken address gets no link, and we say nothing
        token = tokens.issue(current_user.id, "email_change", new_email=address)
        link = url_for("account.confirm_email", token=token, _external=True)
        queue_email(address, _("Confirm your new e-mail address"),
                    _("Open this link to use this address for your Bizalom account:\n\n%(link)s", link=link),
                    user_id=current_user.id)
    queue_email(current_user.email, _("Your e-mail address is being changed"),
                _("Someone signed in to your account asked to change its e-mail address. If this was not you, "
                  "change your password and tell your administrator."), user_id=current_user.id)
    security_event("email_change_requested", current_user)


@bp.get("/email/confirm/<token>")
@allow("public")
def confirm_email(token: str):
    row = tokens.find_valid(token, "email_change")
    if row is None or services.find_by_email(row.new_email) is not None:
        return render_template("accounts/reset_invalid.html"), 410
    user = db.session.get(User, row.user_id)
    user.email = row.new_email
    tokens.consume(row)
    security_event("email_changed", user)
    db.session.commit()
    flash(_("Your e-mail address was changed."), "success")
    return see_other("public.home")


@bp.route("/reauth", methods=["GET", "POST"])
@allow("authenticated")
def reauth():
    form = ReauthForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        if passwords.verify_password(current_user.password_hash, form.password.data):
            sessions.mark_reauthenticated()
            security_event("reauthenticated", current_user)
            db.session.commit()
            return redirect_to(safe_next(form.next.data, url_for("account.security")))
        form.password.errors.append(_("The password is not correct."))
    status = 422 if request.method == "POST" else 200
    return render("accounts/reauth.html", "accounts/_reauth_form.html", status=status, form=form)
