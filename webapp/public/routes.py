"""Public pages of the operator's website."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from webapp.authz import allow
from webapp.http import render
from webapp.notices.routes import language
from webapp.public import services
from webapp.site import services as site_services

bp = Blueprint("public", __name__)


@bp.get("/")
@allow("public")
def home():
    overview = services.workspace_overview(current_user) if current_user.is_authenticated else None
    home_page = None if overview else site_services.page("home")
    return render("public/home.html", "public/_home.html", overview=overview, home_page=home_page,
                  language=language())
