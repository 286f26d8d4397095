"""The operator's backup page: backups on record and the restore-check reports."""

from __future__ import annotations

from flask import Blueprint

from webapp.authz import allow
from webapp.backups import services
from webapp.http import render

bp = Blueprint("backups", __name__, url_prefix="/staff/backups")
RULE = "staff:operator"


@bp.get("/")
@allow(RULE)
def index():
    return render("backups/page.html", "backups/_partial.html", runs=services.recent_runs(),
                  checks=services.recent_checks(), keep_days=services.keep_days())
