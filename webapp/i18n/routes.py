"""Language switch: a plain form POST that works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request
from flask_login import current_user

from webapp.authz import allow
from webapp.extensions import db
from webapp.http import safe_next
from webapp.i18n.services import LANGUAGE_COOKIE, supported

bp = Blueprint("i18n", __name__)


@bp.post("/language")
@allow("public")
def switch_language():
    code = supported(request.form.get("lang"))
    if code is None:
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    response = redirect(safe_next(request.form.get("next")), code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
        secure=current_app.config["PRODUCTION"], httponly=True,
    )
    return response
