"""The real app plus one trivial public page, to measure the analytics collector on its own.

    gunicorn bench.analytics_app:app --bind 127.0.0.1:PORT --workers 2

``/bench/analytics-page`` answers the bare baseline's fixed page through the whole real stack
(sessions, authorization, consent, security headers, the collector's after_request hook), so
its rate with and without analytics consent shows what recording a page view costs.
"""

from __future__ import annotations

from bench.bare_app import PAGE
from webapp import create_app
from webapp.authz import allow

PATH = "/bench/analytics-page"
app = create_app()


@allow("public")
def analytics_page():
    return PAGE


app.add_url_rule(PATH, "bench_analytics_page", analytics_page)
