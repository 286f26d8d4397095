"""The analytics dashboard for operator staff (marketing/sales, privacy officer, operator)."""

from __future__ import annotations

from flask import Blueprint, request

from webapp.analytics import dashboard, forms
from webapp.authz import allow
from webapp.http import render

bp = Blueprint("analytics", __name__, url_prefix="/staff/analytics")
ANALYTICS_ROLES = "staff:sales,privacy_officer,operator"


@bp.get("")
@allow(ANALYTICS_ROLES)
def index():
    period = forms.parse(request.args)
    stats = dashboard.stats(period.start, period.end)
    return render("analytics/page.html", "analytics/_partial.html", status=422 if period.errors else 200,
                  period=period, stats=stats, chart=dashboard.chart(stats.days), lists=dashboard.LISTED)
