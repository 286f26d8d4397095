"""Browser: the public website's footer leads to the legal pages, with JavaScript on and off, nothing third-party."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_footer_links_reach_the_legal_pages(page, live_server):
    origins = set()
    page.on("request", lambda request: origins.add(urlparse(request.url).netloc))
    page.goto(live_server + "/")
    page.locator("footer").get_by_role("link", name="Sub-processors").click()
    expect(page.locator("#subprocessors h1")).to_have_text("Sub-processors")
    expect(page.locator("#subprocessors")).to_contain_text("Apple Inc.")
    page.locator("footer").get_by_role("link", name="Supervisory authority and complaints").click()
    expect(page.locator("#authority")).to_contain_text("ugyfelszolgalat@naih.hu")
    page.locator("footer").get_by_role("link", name="Privacy notice").click()
    expect(page.locator("#privacy-notice h1")).to_have_text("Privacy notice")
    page.locator("footer").get_by_role("link", name="Imprint").click()
    expect(page.locator("#site-page-imprint")).to_contain_text("MiniCRM Zrt.")
    assert origins == {urlparse(live_server).netloc}
