"""Browser: enrol TOTP, then a fresh browser is challenged and the trusted one is not."""

from __future__ import annotations

import re

import pyotp
import pytest

from webapp.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser
EMAIL = "lena.gruber@alpenblick.example"


def _log_in(tab, live_server):
    tab.goto(live_server + "/login")
    tab.get_by_label("E-mail address").fill(EMAIL)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_load_state()


def test_enrol_totp_then_new_browser_is_challenged_and_trusted_one_is_not(browser, live_server):
    trusted = browser.new_context(locale="en-GB").new_page()
    _log_in(trusted, live_server)
    trusted.get_by_role("link", name="Security").click()
    trusted.get_by_role("link", name="Set up an authenticator app").click()
    secret = trusted.locator("code.secret").inner_text()
    assert trusted.locator(".qr svg").count() == 1
    trusted.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    trusted.get_by_role("button", name="Confirm").click()
    trusted.locator("ul.codes code").first.wait_for()
    codes = trusted.locator("ul.codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}", c) for c in codes)

    trusted.get_by_role("button", name="Log out").click()
    trusted.get_by_role("link", name="Log in").first.wait_for()
    _log_in(trusted, live_server)
    trusted.wait_for_url("**/login/verify")
    trusted.get_by_label("Code").fill(codes[0])  # the TOTP step of the enrolment is spent; use a recovery code
    trusted.get_by_label("Trust this browser for 30 days").check()
    trusted.get_by_role("button", name="Continue").click()
    trusted.wait_for_url(live_server + "/")
    assert "Welcome back" in trusted.locator("h1").inner_text()

    fresh = browser.new_context(locale="en-GB").new_page()
    _log_in(fresh, live_server)
    fresh.wait_for_url("**/login/verify")  # a new browser must be challenged
    assert "Welcome back" not in fresh.content()

    trusted.get_by_role("button", name="Log out").click()
    trusted.get_by_role("link", name="Log in").first.wait_for()
    _log_in(trusted, live_server)
    trusted.wait_for_url(live_server + "/")
    assert "Welcome back" in trusted.locator("h1").inner_text(), "the trusted browser skips the challenge"
    fresh.context.close()
    trusted.context.close()
