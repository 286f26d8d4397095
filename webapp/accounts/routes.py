"""Log in and log out."""

from __future__ import annotations

from flask import Blueprint, flash, request, session
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from webapp.accounts import services
from webapp.accounts.forms import LoginForm
from webapp.extensions import db
from webapp.http import redirect_to, render, safe_next, see_other

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            db.session.commit()
            return redirect_to(safe_next(form.next.data, "/"))
        db.session.commit()
        form.password.errors.append(_("The e-mail address or the password is not correct."))
    status = 422 if request.method == "POST" else 200
    return render("accounts/login.html", "accounts/_login_form.html", status=status, form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return see_other("public.home")
