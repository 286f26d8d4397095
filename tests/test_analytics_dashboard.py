"""The staff dashboard: who may see it, numbers equal hand counts (roll-ups + today's raw rows),
the date filter, the fragment with and without htmx, the SVG chart inside the CSP."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
import time_machine

from tests.analytics_support import clean_buffer  # noqa: F401
from tests.test_analytics_rollups import NOW, generate
from webapp.analytics import dashboard
from workers import analytics as jobs

pytestmark = pytest.mark.usefixtures("clean_buffer")
URL = "/staff/analytics"


@pytest.fixture()
def staff(make, login):
    """Signs a marketing (sales) staff member in; call it inside a time travel, if any."""
    return lambda: login(make.user(staff_role="sales"))


def number(html: str, element_id: str) -> int:
    return int(re.search(rf'id="{element_id}">(\d+)<', html).group(1))


@pytest.mark.parametrize("role, allowed", [("sales", True), ("privacy_officer", True), ("operator", True),
                                           ("support", False), ("developer", False), ("consultant", False)])
def test_only_marketing_privacy_and_operator_staff_see_it(client, make, login, role, allowed):
    login(make.user(staff_role=role))
    assert client.get(URL).status_code == (200 if allowed else 403)


def test_tenant_users_and_anonymous_are_refused(client, make, login):
    assert client.get(URL).status_code in (302, 303)
    login(make.user(tenant=make.tenant()))
    assert client.get(URL).status_code == 403


def test_numbers_equal_hand_counts(client, db_session, staff):
    rows = generate(db_session, days=12, per_day=60, seed=11)
    with time_machine.travel(NOW.replace(hour=0, minute=20)):  # the nightly job rolled up yesterday ...
        jobs.rollup_analytics()
    with time_machine.travel(NOW):  # ... and today comes from raw rows
        staff()
        start, end = NOW.date() - timedelta(days=9), NOW.date()
        html = client.get(URL, query_string={"start": start.isoformat(), "end": end.isoformat()}).get_data(True)
        stats = dashboard.stats(start, end)
    chosen = [r for r in rows if start <= r.viewed_at.date() <= end]
    daily_visitors = {(r.viewed_at.date(), r.visitor_id) for r in chosen}
    daily_new = {(r.viewed_at.date(), r.visitor_id) for r in chosen if r.is_new_visitor}
    assert number(html, "analytics-views") == len(chosen) == stats.views
    assert number(html, "analytics-visitors") == len(daily_visitors)
    assert number(html, "analytics-new") == len(daily_new)
    assert number(html, "analytics-returning") == len(daily_visitors) - len(daily_new)
    assert stats.days == [(day, sum(1 for r in chosen if r.viewed_at.date() == day),
                           len({r.visitor_id for r in chosen if r.viewed_at.date() == day}))
                          for day in (start + timedelta(days=n) for n in range(10))]
    pages = Counter(r.path for r in chosen)
    assert dict(stats.top["path"]) == dict(pages)
    sources = Counter(r.utm_source or r.referrer_host or "(direct)" for r in chosen)
    assert dict(stats.top["source"]) == dict(sources)
    assert dict(stats.top["campaign"]) == dict(Counter(r.utm_campaign for r in chosen if r.utm_campaign))
    for path, views in pages.items():
        assert re.search(rf'<th scope="row">{re.escape(path)}</th>\s*<td><meter[^>]*value="{views}"', html)


def test_the_chart_is_server_rendered_svg_inside_the_csp(client, db_session, staff):
    generate(db_session, days=3, per_day=10)
    with time_machine.travel(NOW):
        staff()
        response = client.get(URL)
    html = response.get_data(as_text=True)
    assert "<svg" in html and html.count("<polyline") == 2
    points = re.search(r'class="line-views" points="([^"]+)"', html).group(1).split()
    assert len(points) == 30  # the default range: 30 days
    assert "style=" not in html and "<script>" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "unsafe-inline" not in response.headers.get("Content-Security-Policy", "unsafe-inline-missing")


def test_fragment_for_htmx_and_whole_page_without(client, db_session, staff):
    staff()
    page = client.get(URL)
    fragment = client.get(URL, headers={"HX-Request": "true"})
    assert "<html" in page.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="analytics-results"')
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize("args", [{"start": "2026-13-01"}, {"end": "yesterday"}, {"start": "x" * 5000},
                                  {"start": "2026-11-20", "end": "2026-11-01"},
                                  {"start": "2020-01-01", "end": "2026-11-01"}])
def test_bad_ranges_get_a_clear_message(client, staff, args):
    staff()
    response = client.get(URL, query_string=args, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)


def test_an_empty_period_shows_zeros(client, staff):
    staff()
    html = client.get(URL, query_string={"start": "2026-01-01", "end": "2026-01-31"}).get_data(as_text=True)
    assert number(html, "analytics-views") == 0
    assert "No data in this period." in html


def test_today_is_its_refreshed_rollup_plus_the_newer_raw_rows(client, db_session, staff):
    from tests.analytics_support import view
    from webapp.analytics.models import DailyRollup

    start = NOW.replace(hour=8)
    db_session.add_all([view(start, "a".ljust(22, "x"), "/one", new=True),
                        view(start, "b".ljust(22, "x"), "/two", new=True)])
    db_session.flush()
    with time_machine.travel(NOW.replace(hour=9)):
        assert "today: " in jobs.rollup_analytics_today()
    db_session.add_all([view(NOW.replace(hour=10), "c".ljust(22, "x"), "/one", new=True)])
    db_session.flush()
    with time_machine.travel(NOW):
        stats = dashboard.stats(NOW.date(), NOW.date())
    assert db_session.query(DailyRollup).filter_by(day=NOW.date(), dimension="total").one().views == 2
    assert (stats.views, stats.visitors, stats.new_visitors) == (3, 3, 3)
    assert dict(stats.top["path"]) == {"/one": 2, "/two": 1}
