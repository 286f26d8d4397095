"""Browser: the "my data" portal, from asking for a link to the report, the link taken from the outbox
(JavaScript on and off)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from webapp.config import _database_url

pytestmark = pytest.mark.browser


def _query(live_server, sql: str, **params):
    engine = create_engine(_database_url(live_server.env["DATABASE_URL"], None))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()
    finally:
        engine.dispose()


def test_portal_link_from_the_outbox_to_the_report(page, live_server):
    offset = 0 if page.js_enabled else 1  # each run asks for a different demo lead
    name, email = _query(live_server, "SELECT name, email FROM leads ORDER BY id LIMIT 1 OFFSET :o", o=offset)[0]
    page.goto(live_server + "/my-data")
    page.get_by_label("Your e-mail address").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text("a link to it is on its way")).to_be_visible()
    [(body,)] = _query(live_server, "SELECT text_body FROM outbox_emails WHERE to_address = :e ORDER BY id DESC "
                                    "LIMIT 1", e=email)
    link = re.search(r"https?://\S+/my-data/open/\S+", body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Show my data").click()
    report = page.locator("#mydata-report")
    expect(report).to_contain_text(name)
    expect(report).to_contain_text("Legal basis")
    page.goto(link)  # the link works once
    page.get_by_role("button", name="Show my data").click()
    expect(page.get_by_text("This link is not valid any more")).to_be_visible()
