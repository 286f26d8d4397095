"""Browser smoke test: the home page loads and forms submit, with JavaScript on and off."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from webapp.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _watch_requests(page, live_server):
    origins = set()
    page.on("request", lambda request: origins.add(urlparse(request.url).netloc))
    return origins


def test_home_page_loads_without_third_party_requests(page, live_server):
    origins = _watch_requests(page, live_server)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server + "/")
    assert page.locator("h1").first.inner_text() == "A CRM that keeps its privacy promises"
    assert origins == {urlparse(live_server).netloc}
    if page.js_enabled:
        assert page.evaluate("typeof window.htmx") == "object"
    assert errors == []


def test_login_form_submits_and_lands_on_the_workspace(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("E-mail address").fill("anna.kovacs@kovacs.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + "/")
    assert page.locator("h1").inner_text() == "Welcome back, Anna Kovács"
    assert "Kovács és Társa Kft." in page.locator("main").inner_text()


def test_wrong_password_shows_an_inline_error(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("anna.kovacs@kovacs.example")
    page.get_by_label("Password").fill("wrong password entirely")
    page.get_by_role("button", name="Log in").click()
    error = page.locator("#password-errors")
    error.wait_for()
    assert "not correct" in error.inner_text()
    assert page.url == live_server + "/login"


def test_language_switch_form(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("button", name="Magyar").click()
    page.wait_for_load_state()
    page.locator("html[lang=hu]").wait_for()
    assert page.locator("h1").inner_text() == "Egy CRM, amely betartja adatvédelmi ígéreteit"
