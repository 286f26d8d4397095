"""Browser tests: Debian's chromium driven by Playwright, against a real server process.

The live server runs `gunicorn wsgi:app` on its own database (a separate SQLite file, or a
separate PostgreSQL database next to TEST_DATABASE_URL) with migrations and demo data, so
its commits never touch the rolled-back test transactions. A missing browser skips these
tests locally; with BIZALOM_REQUIRE_BROWSER=1 (set by .ci/run) it is an error instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _live_database(tmp: Path) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp / 'live.sqlite3'}"
    from sqlalchemy import create_engine, make_url, text

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    live_name = f"{url.database}_live"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{live_name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{live_name}"'))
    admin.dispose()
    return url.set(database=live_name).render_as_string(hide_password=False)


class LiveServer(str):
    """The live server's base URL; ``env`` runs `flask` commands against its database."""

    env: dict


def _wait_ready(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("live server exited early")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("live server did not become ready")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, redis_url):
    tmp = tmp_path_factory.mktemp("live")
    env = dict(os.environ, BIZALOM_ENV="development", INSTANCE_PATH=str(tmp), DATABASE_URL=_live_database(tmp),
               REDIS_URL=redis_url, FLASK_APP="wsgi", LOG_LEVEL="WARNING")
    for command in (["db", "upgrade", "heads"], ["demo", "load", "--contacts", "40"]):
        subprocess.run([str(BIN / "flask"), *command], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        live = LiveServer(url)
        live.env = env
        yield live
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() and shutil.which(CHROMIUM)):
        if os.environ.get("BIZALOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing but BIZALOM_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def page(request, browser):
    """A fresh browser context per test, once with JavaScript on and once with it off."""
    context = browser.new_context(java_script_enabled=request.param, locale="en-GB")
    tab = context.new_page()
    tab.js_enabled = request.param
    yield tab
    context.close()
