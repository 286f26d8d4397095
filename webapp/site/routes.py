"""Public pages of the website (product, pricing, imprint, authority) and the staff editor."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.notices.routes import language
from webapp.site import services
from webapp.site.forms import AuthorityForm, PageForm
from webapp.site.models import LANGUAGES, PAGE_KEYS

bp = Blueprint("site", __name__)
staff_bp = Blueprint("site_staff", __name__, url_prefix="/staff/site")
EDITOR_ROLES = "staff:privacy_officer,operator"
PRIVACY_ROLES = "staff:privacy_officer"


def _page(key: str):
    found = services.page(key)
    if found is None:
        abort(404)
    return render("site/page.html", "site/_page.html", page=found, language=language())


@bp.get("/product")
@allow("public")
def product():
    return _page("product")


@bp.get("/pricing")
@allow("public")
def pricing():
    return _page("pricing")


@bp.get("/imprint")
@allow("public")
def imprint():
    return _page("imprint")


@bp.get("/authority")
@allow("public")
def authority():
    return render("site/authority.html", "site/_authority.html", details=services.authority(),
                  language=language(), href=services.web_href)


@staff_bp.get("")
@allow(EDITOR_ROLES)
def index():
    return render("site/staff/index.html", "site/staff/_index.html", pages=services.pages(),
                  details=services.authority())


@staff_bp.route("/pages/<key>", methods=["GET", "POST"])
@allow(EDITOR_ROLES)
def edit_page(key: str):
    page = services.page(key) if key in PAGE_KEYS else None
    if page is None:
        abort(404)
    form = PageForm(obj=page)
    if form.validate_on_submit():
        services.update_page(page, titles={lang: getattr(form, f"title_{lang}").data for lang in LANGUAGES},
                             bodies={lang: getattr(form, f"body_{lang}").data or "" for lang in LANGUAGES},
                             user=current_user)
        db.session.commit()
        flash(_("The page is saved."), "success")
        return see_other("site_staff.index")
    status = 422 if request.method == "POST" else 200
    return render("site/staff/edit_page.html", "site/staff/_edit_page.html", status=status, form=form, page=page)


@staff_bp.route("/authority", methods=["GET", "POST"])
@allow(PRIVACY_ROLES)
def edit_authority():
    details = services.authority()
    if details is None:
        abort(404)
    form = AuthorityForm(obj=details)
    if form.validate_on_submit():
        services.update_authority(details, {field: getattr(form, field).data for field in services.AUTHORITY_FIELDS},
                                  {lang: getattr(form, f"complaint_{lang}").data or "" for lang in LANGUAGES},
                                  current_user)
        db.session.commit()
        flash(_("The authority details are saved."), "success")
        return see_other("site_staff.index")
    status = 422 if request.method == "POST" else 200
    return render("site/staff/edit_authority.html", "site/staff/_edit_authority.html", status=status, form=form)
