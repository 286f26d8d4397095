"""Browser: active search narrows the list as you type; inline edit saves a row in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from webapp.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(tab, live_server, email="peter.toth@kovacs.example"):
    tab.goto(live_server + "/login")
    tab.get_by_label("E-mail address").fill(email)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(live_server + "/")


def test_active_search_and_inline_edit(browser, live_server):
    tab = browser.new_context(locale="en-GB").new_page()
    _sign_in(tab, live_server)
    tab.goto(live_server + "/contacts")
    rows = tab.locator("#contact-rows tr[id^=contact-]")
    total = rows.count()
    first_name = tab.locator("#contact-rows tr[id^=contact-] td:nth-child(2) a").first.inner_text()
    last_name = first_name.split(",")[0]
    tab.get_by_placeholder("Name, e-mail, phone or company").press_sequentially(last_name[:4], delay=30)
    expect(rows).not_to_have_count(total)  # narrowed while typing, no submit
    assert "q=" in tab.url, "the search is pushed to the address bar"
    names = tab.locator("#contact-rows tr[id^=contact-] td:nth-child(2) a").all_inner_texts()
    assert first_name in names

    row = tab.locator("#contact-rows tr[id^=contact-]").first
    row_id = row.get_attribute("id")
    row.get_by_role("link", name="Edit").click()
    editing = tab.locator(f"#{row_id}.editing")
    editing.wait_for()
    editing.get_by_label("Last name").fill("Inline-Edited")
    editing.get_by_role("button", name="Save").click()
    tab.locator(f"#{row_id}:not(.editing)").wait_for()
    assert "Inline-Edited" in tab.locator(f"#{row_id}").inner_text()
    tab.reload()
    tab.goto(live_server + "/contacts?q=Inline-Edited")
    assert tab.locator("#contact-rows tr[id^=contact-]").count() == 1
    tab.context.close()
