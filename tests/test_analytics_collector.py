"""The collector: consent required, the visitor cookie, new vs returning, clean values, bots,
rate limits, with and without Redis."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.analytics_support import CHROME, IPHONE, clean_buffer, grant, stored_views  # noqa: F401
from webapp.analytics import collector
from webapp.analytics.models import PageView

pytestmark = pytest.mark.usefixtures("clean_buffer")


def get(client, path="/", **headers):
    return client.get(path, headers={"User-Agent": CHROME, **headers})


def visitor_cookie(response) -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(collector.COOKIE_NAME + "="):
            return header
    return None


def test_without_consent_nothing_is_recorded_and_no_cookie_is_set(client, db_session):
    response = get(client, "/?utm_source=news")
    assert response.status_code == 200
    assert visitor_cookie(response) is None
    assert stored_views(db_session) == []


def test_refused_analytics_records_nothing_and_deletes_an_old_visitor_cookie(client, db_session):
    grant(client, db_session, analytics=False, marketing=True)
    client.set_cookie(collector.COOKIE_NAME, "A" * 22)
    response = get(client)
    header = visitor_cookie(response)
    assert header and ("Max-Age=0" in header or "01 Jan 1970" in header)
    assert stored_views(db_session) == []


def test_a_forged_consent_cookie_counts_as_no_consent(client, db_session):
    client.set_cookie("consent", "abcdefghijklmnopqrstuv.forgedsignature")
    assert visitor_cookie(get(client)) is None
    client.set_cookie("consent", "x" * 3000)
    assert get(client).status_code == 200
    assert stored_views(db_session) == []


def test_consent_records_the_view_and_sets_a_first_party_cookie(client, db_session):
    consent_id = grant(client, db_session)
    response = get(client, "/?utm_source=Newsletter&utm_medium=Email&utm_campaign=Spring-2026",
                   Referer="https://www.example.org/some/path?q=secret#frag")
    header = visitor_cookie(response)
    assert header and "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
    assert "Max-Age=33696000" in header  # 390 days: under 13 months
    [row] = stored_views(db_session)
    assert (row.path, row.referrer_host, row.utm_source, row.utm_medium, row.utm_campaign) == (
        "/", "www.example.org", "newsletter", "email", "spring-2026")
    assert (row.device_type, row.os_family, row.browser_family) == ("desktop", "Windows", "Chrome")
    assert row.consent_id == consent_id and row.is_new_visitor is True
    assert header.split(";")[0] == f"{collector.COOKIE_NAME}={row.visitor_id}"


def test_a_returning_visitor_keeps_the_id_and_is_not_new(client, db_session):
    grant(client, db_session)
    get(client)
    second = get(client, "/", **{"User-Agent": IPHONE})
    assert visitor_cookie(second) is None
    first, again = stored_views(db_session)
    assert again.visitor_id == first.visitor_id
    assert (first.is_new_visitor, again.is_new_visitor) == (True, False)
    assert (again.device_type, again.os_family, again.browser_family) == ("mobile", "iOS", "Mobile Safari")


def test_a_malformed_visitor_cookie_is_replaced(client, db_session):
    grant(client, db_session)
    client.set_cookie(collector.COOKIE_NAME, "<script>")
    assert visitor_cookie(get(client)) is not None
    [row] = stored_views(db_session)
    assert row.is_new_visitor and row.visitor_id != "<script>"


def test_internal_and_non_web_referrers_are_not_sources(client, db_session):
    grant(client, db_session)
    get(client, Referer="http://localhost/login")
    get(client, Referer="javascript:alert(1)")
    get(client, Referer="https://user:pw@Evil.Example.COM:8443/x")
    assert [row.referrer_host for row in stored_views(db_session)] == [None, None, "evil.example.com"]


def test_oversized_and_hostile_utm_values_are_cleaned(client, db_session):
    grant(client, db_session)
    client.get("/", query_string={"utm_source": "A\x00B\x1b[31m\u202eC " + "x" * 500,
                                  "utm_campaign": "<script>alert(1)</script>", "utm_medium": " \t\n "},
               headers={"User-Agent": CHROME})
    [row] = stored_views(db_session)
    assert row.utm_source.startswith("ab[31mc x") and len(row.utm_source) == 100
    assert row.utm_campaign == "<script>alert(1)</script>"  # kept as text; escaped when shown
    assert row.utm_medium is None


def test_bots_fragments_errors_and_staff_pages_are_not_page_views(client, db_session):
    grant(client, db_session)
    get(client, **{"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"})
    get(client, **{"User-Agent": ""})
    get(client, **{"HX-Request": "true"})
    get(client, "/no-such-page")
    get(client, "/healthz")
    get(client, "/login", **{"Sec-Purpose": "prefetch"})
    assert stored_views(db_session) == []
    get(client, "/", **{"HX-Request": "true", "HX-Boosted": "true"})
    assert len(stored_views(db_session)) == 1


def test_per_visitor_limit_drops_the_flood(app, client, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "ANALYTICS_VISITOR_PER_MINUTE", 3)
    grant(client, db_session)
    for _ in range(6):
        assert get(client).status_code == 200
    assert len(stored_views(db_session)) == 3


def test_a_consent_id_without_visitor_cookie_is_limited_too(app, client, db_session, monkeypatch):
    """A bot that keeps the consent cookie but drops the visitor cookie gets a new visitor id each time."""
    monkeypatch.setitem(app.config, "ANALYTICS_VISITOR_PER_MINUTE", 2)
    grant(client, db_session)
    for _ in range(5):
        get(client)
        client.delete_cookie(collector.COOKIE_NAME)
    assert len(stored_views(db_session)) == 2


def test_global_cap(app, client, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "ANALYTICS_GLOBAL_PER_SECOND", 1)
    grant(client, db_session)
    for _ in range(4):
        get(client)
    assert 1 <= len(stored_views(db_session)) <= 2  # one per second; the test may straddle a second


def test_without_redis_views_are_inserted_and_limited_in_process(app, client, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "JOB_MODE", "inline")
    monkeypatch.setitem(app.config, "ANALYTICS_VISITOR_PER_MINUTE", 2)
    grant(client, db_session)
    for _ in range(4):
        get(client)
    assert db_session.scalar(select(func.count()).select_from(PageView)) == 2


def test_redis_down_falls_back_to_direct_inserts(app, client, db_session, monkeypatch):
    from redis import Redis

    monkeypatch.setitem(app.extensions, "redis", Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2))
    monkeypatch.delitem(app.extensions, collector._BREAKER, raising=False)
    monkeypatch.delitem(app.extensions, "analytics.redis_down", raising=False)
    grant(client, db_session)
    assert get(client).status_code == 200
    assert db_session.scalar(select(func.count()).select_from(PageView)) == 1
    app.extensions.pop(collector._BREAKER, None)
    app.extensions.pop("analytics.redis_down", None)
