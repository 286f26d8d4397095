"""Browser: trash a contact from the list and restore it from the trash page (JavaScript on and off);
companies list, record page and a note added on it."""

from __future__ import annotations

import re

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


def test_trash_a_contact_and_restore_it(page, live_server):
    _sign_in(page, live_server)
    page.goto(live_server + "/contacts?sort=newest")
    row = page.locator("#contact-rows tr[id^=contact-]").first
    row_id = row.get_attribute("id")
    contact_id = row_id.removeprefix("contact-")
    name = row.locator("td:nth-child(2) a").inner_text()
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".flash-success")).to_contain_text("moved to the trash")
    expect(page.locator(f"#{row_id}")).to_have_count(0)

    page.goto(live_server + "/trash")
    trashed = page.locator(f"#trash-contact-{contact_id}")
    expect(trashed).to_be_visible()
    trashed.get_by_role("button", name="Restore").click()
    expect(page.locator(".flash-success")).to_contain_text("restored")
    expect(page.locator(f"#trash-contact-{contact_id}")).to_have_count(0)

    page.goto(live_server + "/contacts?sort=newest")
    expect(page.locator(f"#{row_id}")).to_contain_text(name.split(",")[0])


def test_company_record_page_takes_a_note(page, live_server):
    _sign_in(page, live_server)
    page.goto(live_server + "/companies")
    link = page.locator("#company-rows tr[id^=company-] td:nth-child(2) a").first
    link.click()
    page.wait_for_url(re.compile(r".*/companies/\d+$"))
    text = f"Browser note ({'js' if page.js_enabled else 'no js'})"
    page.get_by_role("textbox", name="Note").fill(text)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".timeline-note").first).to_contain_text(text)


def test_contact_form_suggests_companies_as_you_type(browser, live_server):
    tab = browser.new_context(locale="en-GB").new_page()
    _sign_in(tab, live_server)
    tab.goto(live_server + "/companies")
    name = tab.locator("#company-rows tr[id^=company-] td:nth-child(2) a").first.inner_text()
    tab.goto(live_server + "/contacts/new")
    tab.get_by_label("Company").press_sequentially(name[:3], delay=30)
    expect(tab.locator(f'#company-options option[value="{name}"]')).to_have_count(1)
    tab.get_by_label("Company").fill(name)
    tab.get_by_label("Last name").fill("Picker-Test")
    tab.get_by_role("button", name="Save").click()
    tab.wait_for_url(re.compile(r".*/contacts/\d+$"))
    expect(tab.locator("#contact-card")).to_contain_text(name)
    tab.context.close()
