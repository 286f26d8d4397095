"""Browser: the consent banner with JavaScript on and off, recording every request.

A live server runs with marketing tags configured to fake third-party origins (a local HTTP
server on another port), so every request a tag would make is observed.
"""

from __future__ import annotations

import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import BIN, _free_port, _wait_ready

pytestmark = pytest.mark.browser
NECESSARY = {"session", "consent", "lang"}


class _FakeTagServer(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        type(self).seen.append(self.path)
        body = b"/* fake third-party tag */"
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def third_party():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeTagServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}", _FakeTagServer.seen
    server.shutdown()
    server.server_close()


def _database(tmp: Path) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp / 'consent-live.sqlite3'}"
    from sqlalchemy import create_engine, make_url, text

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_consent_live"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


SETUP = """
from webapp import create_app
from webapp.extensions import db
from webapp.consent.models import MarketingTagSettings
app = create_app()
with app.app_context():
    db.session.merge(MarketingTagSettings(id=1, google_ads_enabled=True, google_ads_id="AW-123456789",
                     google_ads_conversion_label="", facebook_pixel_enabled=True, facebook_pixel_id="1234567890"))
    db.session.commit()
"""

PUBLISH = """
import sys
from sqlalchemy import func, select
from webapp import clock, create_app
from webapp.extensions import db
from webapp.notices.models import NoticeVersion
app = create_app()
with app.app_context():
    number = (db.session.scalar(select(func.max(NoticeVersion.number))) or 0) + 1
    db.session.add(NoticeVersion(number=number, state="published", published_at=clock.now(),
                   text_hash=f"{number:064x}", changed_categories=sys.argv[1:]))
    db.session.commit()
"""


@pytest.fixture(scope="module")
def consent_server(tmp_path_factory, redis_url, third_party):
    tmp = tmp_path_factory.mktemp("consent-live")
    env = dict(os.environ, BIZALOM_ENV="development", INSTANCE_PATH=str(tmp), DATABASE_URL=_database(tmp),
               REDIS_URL=redis_url, FLASK_APP="wsgi", LOG_LEVEL="WARNING",
               MARKETING_GOOGLE_ORIGIN=third_party[0], MARKETING_FACEBOOK_ORIGIN=third_party[0])
    subprocess.run([str(BIN / "flask"), "db", "upgrade", "heads"], env=env, check=True, capture_output=True)
    subprocess.run([str(BIN / "python"), "-c", SETUP], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        yield url, lambda *changed: subprocess.run([str(BIN / "python"), "-c", PUBLISH, *changed], env=env,
                                                   check=True, capture_output=True)
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def visit(request, browser, consent_server, third_party):
    """A fresh browser per test (JS on and off) recording every request's origin."""
    contexts = []

    def _open(gpc: bool = False):
        context = browser.new_context(java_script_enabled=request.param, locale="en-GB",
                                      extra_http_headers={"Sec-GPC": "1"} if gpc else None)
        contexts.append(context)
        tab = context.new_page()
        tab.js_enabled = request.param
        tab.requests = []
        context.on("request", lambda r: tab.requests.append(r.url))
        third_party[1].clear()
        return tab

    yield _open
    for context in contexts:
        context.close()


def _foreign(tab, server) -> list[str]:
    own = urlparse(server).netloc
    return [url for url in tab.requests if urlparse(url).netloc != own]


def _cookie_names(tab) -> set[str]:
    return {c["name"] for c in tab.context.cookies()}


def _tags_in(tab) -> bool:
    return tab.locator("script[src*='/gtag/js'], script[src*='fbevents.js']").count() == 2


def _banner(tab):
    return tab.locator("#consent-banner")


def _decide(tab, button: str, server: str):
    _banner(tab).get_by_role("button", name=button).click()
    if tab.js_enabled:  # htmx swaps the banner for a confirmation
        expect(_banner(tab)).to_contain_text("Your choice is saved")
    else:  # plain form POST, then a redirect back
        tab.wait_for_load_state()
        expect(_banner(tab)).to_have_count(0)


def test_before_any_choice_nothing_non_essential_and_no_third_party(visit, consent_server, third_party):
    server, _ = consent_server
    tab = visit()
    tab.goto(server + "/")
    expect(_banner(tab)).to_be_visible()
    for name in ("Accept all", "Reject all"):
        expect(_banner(tab).get_by_role("button", name=name)).to_be_visible()
    expect(_banner(tab).locator("summary", has_text="Choose")).to_be_visible()
    tab.goto(server + "/login")
    assert _cookie_names(tab) <= {"session"}
    assert _foreign(tab, server) == [] and third_party[1] == []
    assert not _tags_in(tab)


def test_accept_all_loads_the_tags_only_afterwards(visit, consent_server, third_party):
    server, _ = consent_server
    tab = visit()
    tab.goto(server + "/")
    assert _foreign(tab, server) == []
    _decide(tab, "Accept all", server)
    assert "consent" in _cookie_names(tab)
    tab.goto(server + "/")
    expect(_banner(tab)).to_have_count(0)
    assert _tags_in(tab)
    if tab.js_enabled:
        tab.wait_for_load_state("networkidle")
        assert {urlparse(u).path for u in _foreign(tab, server)} == {"/gtag/js", "/en_US/fbevents.js"}
        assert any(path.startswith("/gtag/js?id=AW-123456789") for path in third_party[1])
    else:
        assert _foreign(tab, server) == [] and third_party[1] == []


def test_reject_all_never_loads_a_tag(visit, consent_server, third_party):
    server, _ = consent_server
    tab = visit()
    tab.goto(server + "/")
    _decide(tab, "Reject all", server)
    tab.goto(server + "/")
    tab.goto(server + "/login")
    expect(_banner(tab)).to_have_count(0)
    assert not _tags_in(tab) and _foreign(tab, server) == [] and third_party[1] == []
    assert _cookie_names(tab) <= NECESSARY


def test_choose_analytics_only(visit, consent_server, third_party):
    server, _ = consent_server
    tab = visit()
    tab.goto(server + "/")
    _banner(tab).locator("summary", has_text="Choose").click()
    _banner(tab).get_by_label("Visit statistics").check()
    _decide(tab, "Save my choice", server)
    tab.goto(server + "/cookie-settings")
    settings = tab.locator("#cookie-settings")
    expect(settings.get_by_label("Visit statistics")).to_be_checked()
    expect(settings.get_by_label("Facebook Pixel")).not_to_be_checked()
    assert not _tags_in(tab) and _foreign(tab, server) == []


def test_choose_one_marketing_service(visit, consent_server, third_party):
    server, _ = consent_server
    tab = visit()
    tab.goto(server + "/")
    _banner(tab).locator("summary", has_text="Choose").click()
    _banner(tab).get_by_label("Facebook Pixel").check()
    _decide(tab, "Save my choice", server)
    tab.goto(server + "/")
    assert tab.locator("script[src*='fbevents.js']").count() == 1
    assert tab.locator("script[src*='/gtag/js']").count() == 0


def test_gpc_is_honoured(visit, consent_server, third_party):
    server, _ = consent_server
    tab = visit(gpc=True)
    tab.goto(server + "/")
    _banner(tab).locator("summary", has_text="Choose").click()
    expect(_banner(tab)).to_contain_text("Global Privacy Control")
    expect(_banner(tab).get_by_label("Facebook Pixel")).to_be_disabled()
    _decide(tab, "Accept all", server)
    tab.goto(server + "/")
    assert not _tags_in(tab) and _foreign(tab, server) == [] and third_party[1] == []
    tab.goto(server + "/cookie-settings")
    expect(tab.locator("#consent-status")).to_contain_text("Marketing")
    expect(tab.locator("#consent-status")).to_contain_text("refused")


def test_withdrawal_from_the_footer_link(visit, consent_server, third_party):
    server, _ = consent_server
    tab = visit()
    tab.goto(server + "/")
    _decide(tab, "Accept all", server)
    host = urlparse(server).hostname
    tab.context.add_cookies([{"name": "bz_vid", "value": "x", "domain": host, "path": "/"},
                             {"name": "_fbp", "value": "fb.1.2", "domain": host, "path": "/"}])
    tab.goto(server + "/login")
    tab.locator("#cookie-settings-link").click()
    tab.wait_for_url(server + "/cookie-settings")
    tab.get_by_role("button", name="Withdraw consent").click()
    expect(tab.locator(".flashes")).to_contain_text("withdrawn")
    assert not {"bz_vid", "_fbp"} & _cookie_names(tab)
    third_party[1].clear()
    tab.requests.clear()
    tab.goto(server + "/")
    assert not _tags_in(tab) and _foreign(tab, server) == [] and third_party[1] == []


def test_new_notice_version_prompts_again_for_changed_purposes(visit, consent_server, third_party):
    server, publish = consent_server
    publish()
    tab = visit()
    tab.goto(server + "/")
    _decide(tab, "Accept all", server)
    tab.goto(server + "/")
    expect(_banner(tab)).to_have_count(0)
    publish("marketing")
    tab.goto(server + "/")
    expect(_banner(tab)).to_contain_text("Our privacy notice has changed")
    assert not _tags_in(tab)  # the changed purpose waits for a new answer
    _banner(tab).locator("summary", has_text="Choose").click()
    expect(_banner(tab).get_by_label("Visit statistics")).to_have_count(0)
    expect(_banner(tab).get_by_label("Facebook Pixel")).to_be_visible()
    _decide(tab, "Accept all", server)
    tab.goto(server + "/")
    expect(_banner(tab)).to_have_count(0)
    assert _tags_in(tab)
