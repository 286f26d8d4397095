"""Browser: the lead list narrows while typing; the segment count follows the chosen filters."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from webapp.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(tab, live_server, email):
    tab.goto(live_server + "/login")
    tab.get_by_label("E-mail address").fill(email)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(live_server + "/")


def test_lead_search_narrows_while_typing(browser, live_server):
    tab = browser.new_context(locale="en-GB").new_page()
    _sign_in(tab, live_server, "gergo.consultant@bizalom.example")
    tab.goto(live_server + "/staff/leads")
    rows = tab.locator("#lead-results tr[id^=lead-]")
    total = rows.count()
    first = tab.locator("#lead-results tr[id^=lead-] td:first-child a").first.inner_text()
    tab.get_by_placeholder("Name or e-mail address").press_sequentially(first.split()[-1][:5], delay=30)
    expect(rows).not_to_have_count(total)
    assert "q=" in tab.url
    assert first in tab.locator("#lead-results tr[id^=lead-] td:first-child a").all_inner_texts()
    tab.locator("#lead-results tr[id^=lead-] td:first-child a").first.click()
    expect(tab.locator("#lead-record h1")).to_be_visible()
    tab.context.close()


def test_segment_count_follows_the_filters(browser, live_server):
    tab = browser.new_context(locale="en-GB").new_page()
    _sign_in(tab, live_server, "ops@bizalom.example")
    tab.goto(live_server + "/staff/segments")
    count = tab.locator("#segment-count")
    expect(count).to_contain_text("Choose filters")
    tab.get_by_label("Came through").select_option("trial")
    expect(count).to_have_text(re.compile(r"\d+ leads? match"))
    tab.context.close()
