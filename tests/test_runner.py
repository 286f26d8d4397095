"""`make run`'s supervisor: migrations, demo data, web + rq worker + rq cron, clean stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser_fixtures import _free_port
from workers.schedule import PERIODIC_JOBS

pytestmark = pytest.mark.slow


def _get(url: str):
    with urllib.request.urlopen(url, timeout=3) as response:
        return response.status, response.read().decode()


def _wait_for(url: str, process, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the runner exited early"
        try:
            return _get(url)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds}s")


def test_runner_serves_demo_data_with_embedded_redis_and_stops_cleanly(tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "TEST_DATABASE_URL", "TEST_REDIS_URL")}
    env.update(INSTANCE_PATH=str(tmp_path), PORT=str(port), LOG_LEVEL="WARNING")
    process = subprocess.Popen([sys.executable, "-m", "webapp.runner"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        status, body = _wait_for(f"http://127.0.0.1:{port}/readyz", process)
        ready = json.loads(body)
        assert status == 200 and ready["checks"]["redis"]["mode"] == "redis"
        assert (tmp_path / "redis.sock").exists() and (tmp_path / "bizalom.sqlite3").exists()
        assert _get(f"http://127.0.0.1:{port}/")[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output[-2000:]
    assert "Demo logins:" in output and "anna.kovacs@kovacs.example" in output
    assert "Listening on default, messages, exports, maintenance" in output
    assert f"Successfully registered {len(PERIODIC_JOBS)} cron jobs" in output
    leftovers = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True).stdout.split()
    assert leftovers == [], "child processes outlived the runner"
