"""Browser: an export from the form, through the progress fragment, to the downloaded file
(JavaScript on: the fragment polls by itself; off: the person reloads the status page)."""

from __future__ import annotations

import csv
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import BIN
from webapp.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _work_off_the_export_queue(live_server) -> None:
    """The live server has Redis but no worker of its own: run one in burst mode, as `rq worker` would."""
    subprocess.run([str(BIN / "rq"), "worker", "exports", "--burst", "--url", live_server.env["REDIS_URL"]],
                   env=live_server.env, check=True, capture_output=True, timeout=120)


def test_export_from_progress_to_download(page, live_server, tmp_path):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("anna.kovacs@kovacs.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + "/")
    page.goto(live_server + "/exports")
    page.get_by_label("Format").select_option("csv")
    page.get_by_role("button", name="Start export").click()
    page.wait_for_url(f"{live_server}/exports/*")
    _work_off_the_export_queue(live_server)
    download_link = page.get_by_role("link", name="Download")
    if not page.js_enabled:
        page.reload()
    expect(download_link).to_be_visible(timeout=20_000)
    with page.expect_download() as started:
        download_link.click()
    saved = tmp_path / "export.csv"
    started.value.save_as(saved)
    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:3] == ["id", "first_name", "last_name"] and len(rows) > 10  # the demo tenant's contacts
