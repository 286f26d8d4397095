"""Request plumbing: page or partial, Vary, security headers, no-store, CSRF for htmx."""

from __future__ import annotations

import json
import re

import pytest

HX = {"HX-Request": "true"}


def test_full_page_without_htmx(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    assert 'id="home"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_partial_for_plain_htmx_request(client):
    response = client.get("/", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="home"')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("extra", [{"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}])
def test_boosted_and_history_restore_get_the_full_page(client, extra):
    html = client.get("/", headers={**HX, **extra}).get_data(as_text=True)
    assert "<html" in html and 'id="home"' in html


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert not re.search(r"https?://", csp), "no third-party origin may be allowed"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # only in production


def test_hsts_and_host_cookie_in_production(tmp_path, extra_apps):
    app = extra_apps(**{"BIZALOM_ENV": "production", "SECRET_KEY": "x" * 40, "DATA_ENCRYPTION_KEY": "k" * 44,
                              "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}", "REDIS_URL": "redis://127.0.0.1:1/0",
                              "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_inline_script_or_style_in_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> would need unsafe-inline"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers would need unsafe-inline"


def test_anonymous_pages_are_cacheable_authenticated_are_not(client, make, login):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(make.user())
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_csrf_token_is_offered_to_htmx_through_hx_headers(client):
    html = client.get("/").get_data(as_text=True)
    header = re.search(r"<body[^>]*hx-headers='([^']+)'", html)
    assert header and json.loads(header.group(1).replace("&#34;", '"'))["X-CSRFToken"]


def test_htmx_request_with_csrf_header_is_accepted(client, csrf):
    token = csrf("/")
    response = client.post("/language", data={"lang": "hu", "next": "/"},
                           headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 303
    assert "lang=hu" in response.headers["Set-Cookie"]


def test_htmx_self_hosted_and_pinned(app, client):
    html = client.get("/").get_data(as_text=True)
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in html
    static = client.get("/static/vendor/htmx.min.js")
    assert static.status_code == 200 and b"htmx" in static.data[:200]
    static.close()


def test_request_id_and_structured_access_log(client, caplog):
    caplog.set_level("INFO", logger="bizalom.access")
    response = client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert response.headers["X-Request-ID"] == "abc123"
    record = next(r for r in caplog.records if r.name == "bizalom.access")
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)


def test_ids_beyond_a_database_integer_are_a_404_not_a_database_error(client, login, make):
    login(make.user(role="admin"))
    for path in ("/contacts/99999999999", "/contacts/2147483648/edit", "/companies/99999999999999999999"):
        assert client.get(path).status_code == 404, path
