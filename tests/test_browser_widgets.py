"""A sign-up widget embedded in a page of another local origin, with JavaScript on and off."""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading

import pytest

from tests.browser_fixtures import BIN, _free_port

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Partner shop</title></head><body>
<h1>Partner shop</h1>
<div data-bizalom-widget="{kind}" data-lang="en"><noscript><iframe src="{base}/embed/{kind}?lang=en"
  title="Bizalom" width="100%" height="1600"></iframe></noscript></div>
<script src="{base}/static/js/embed.js" async></script>
</body></html>"""
KINDS = ("newsletter", "workshop", "trial")
TEXT = {"newsletter": {"name": "Widget Person"},
        "workshop": {"name": "Widget Person", "phone": "+36 20 123 4567", "topic": "Pipelines"},
        "trial": {"name": "Widget Person", "phone": "+36 20 123 4567", "company": "Widget Kft."}}
BOXES = {"newsletter": ("adult", "agree"), "workshop": ("adult",),
         "trial": ("terms", "adult", "no_special", "no_ids", "ui_only", "consultants")}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def partner_site(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("partner")
    for kind in KINDS:
        (folder / f"{kind}.html").write_text(HOST_PAGE.format(base=live_server, kind=kind))
    port = _free_port()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{port}"
    subprocess.run([str(BIN / "flask"), "widgets", "allow", origin], env=live_server.env, check=True,
                   capture_output=True)
    yield origin
    server.shutdown()
    server.server_close()


def _evidence_forms(live_server, email: str) -> list[str]:
    from sqlalchemy import create_engine, text

    from webapp.config import _database_url

    engine = create_engine(_database_url(live_server.env["DATABASE_URL"], None))
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT e.form FROM signup_evidence e JOIN leads l ON l.id = e.lead_id "
                                          "WHERE l.email = :email"), {"email": email}).scalars())
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_each_widget_on_another_site(page, live_server, partner_site, kind):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{partner_site}/{kind}.html")
    frame_element = page.wait_for_selector("iframe", timeout=10_000)
    frame = frame_element.content_frame()
    frame.wait_for_selector("form")
    email = f"widget-{kind}-{'js' if page.js_enabled else 'nojs'}@example.com"
    frame.fill("input[name=email]", email)
    for name, value in TEXT[kind].items():
        frame.fill(f"input[name={name}]", value)
    for box in BOXES[kind]:
        frame.check(f"input[name={box}]")
    page.wait_for_timeout(2500)  # the form refuses what is sent faster than a person types
    frame.click("button[type=submit]")
    frame.wait_for_selector("text=Thank you", timeout=10_000)
    if page.js_enabled:  # the frame told the host page its height
        height = frame_element.evaluate("element => element.getBoundingClientRect().height")
        assert 120 <= height < 1600
    assert page.context.cookies(live_server) == []  # the widget set no cookie
    assert all(url.startswith((partner_site, live_server)) for url in requests)
    assert _evidence_forms(live_server, email) == [f"widget:{kind}:{partner_site}"]
