"""SMS dispatch throughput: queued SMS sent by 2 real ``rq worker`` processes to a local fake provider.

Per back end: a fresh database (SQLite file, or PostgreSQL ``bizalom_bench_g``), a private
redis-server on a socket, the fake provider of the tests (HTTP on 127.0.0.1, deduping by
idempotency key). ``queue_sms_bulk`` stores N messages and enqueues batch jobs; two
``rq worker --burst`` processes send them. Same-run baseline: raw HTTP posts to the same fake
provider from 2 processes with the same pooled client, no database and no queue.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.database import base_env, recreate_postgres
from bench.registry import Context, register
from bench.server import PROJECT_ROOT

WORKERS = 2
MESSAGES = {"quick": 5_000, "full": 20_000}
PG_DATABASE = "bizalom_bench_g"
TARGET_PER_S = 500


@contextlib.contextmanager
def redis_server(folder: Path):
    """A private redis-server on a unix socket (no persistence); yields its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "redis.sock"
    process = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(sock), "--save", "",
                                "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not sock.exists():
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"unix://{sock}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _post_many(url: str, token: str, count: int, offset: int) -> int:
    """Raw posts with the same keep-alive client as the batch sender (``http_pool``), 8 threads."""
    import json

    from webapp.messaging import http_pool

    def post(number: int) -> int:
        key = f"baseline-{offset + number}"
        body = json.dumps({"to": "+36301234567", "text": "Code 123456", "reference": key}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}", "Idempotency-Key": key}
        return pool.post(url, body, headers, 10)[0]

    pool = http_pool.Pool()
    try:
        with ThreadPoolExecutor(max_workers=8) as threads:
            return sum(1 for status in threads.map(post, range(count)) if status < 300)
    finally:
        pool.close()


def baseline(provider, count: int) -> dict:
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        ok = sum(pool.starmap(_post_many, [(provider.url("/domestic"), provider.token, count // WORKERS,
                                            index * count) for index in range(WORKERS)]))
    seconds = time.perf_counter() - started
    return {"messages": ok, "seconds": round(seconds, 2), "per_s": round(ok / seconds, 1)}


def _app_env(backend: str, folder: Path, redis_url: str, provider) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    if backend == "postgresql":
        from bench.database import PG_ADMIN_URL

        database_url = recreate_postgres(PG_ADMIN_URL, PG_DATABASE)
    else:
        (folder / "sms.sqlite3").unlink(missing_ok=True)
        database_url = f"sqlite:///{folder / 'sms.sqlite3'}"
    return base_env(BIZALOM_ENV="test", INSTANCE_PATH=str(folder), DATABASE_URL=database_url, REDIS_URL=redis_url,
                    LOG_LEVEL="WARNING", SMS_DOMESTIC_URL=provider.url("/domestic"),
                    SMS_INTERNATIONAL_URL=provider.url("/international"), SMS_DOMESTIC_TOKEN=provider.token,
                    SMS_INTERNATIONAL_TOKEN=provider.token, SMS_TIMEOUT="10")


def queue_messages(env: dict[str, str], count: int) -> None:
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db
    from webapp.messaging import services

    app = create_app(environ=env)
    with app.app_context():
        upgrade(revision="heads")
        numbers = [(f"+3630{1_000_000 + index:07d}" if index % 4 else f"+491512{3_000_000 + index:07d}",
                    f"Code {index:06d}")
                   for index in range(count)]
        services.queue_sms_bulk(numbers, purpose="bench")
        db.session.commit()
        db.engine.dispose()


def start_workers(env: dict[str, str], folder: Path) -> list[subprocess.Popen]:
    rq = str(Path(sys.executable).parent / "rq")
    return [subprocess.Popen([rq, "worker", "messages", "--burst", "--url", env["REDIS_URL"], "--worker-class",
                              "workers.messaging.PreloadedWorker", "--name",
                              f"bench-sms-{index}-{os.getpid()}"], env=env, cwd=PROJECT_ROOT,
                             stdout=(folder / f"worker-{index}.log").open("w"), stderr=subprocess.STDOUT)
            for index in range(WORKERS)]


def dispatch_window(env: dict[str, str]) -> dict:
    """From the first claim to the last recorded result, read back from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        row = connection.execute(text("SELECT count(*), min(last_attempt_at), max(sent_at), max(attempts) "
                                      "FROM sms_messages WHERE state = 'sent'")).one()
    engine.dispose()
    first, last = (_parse(value) if isinstance(value, str) else value for value in row[1:3])
    seconds = (last - first).total_seconds() if first and last else None
    return {"sent": row[0], "max_attempts": row[3], "dispatch_seconds": round(seconds, 2) if seconds else None}


def _parse(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value)


def measure(ctx: Context, backend: str, provider, count: int) -> dict:
    folder = ctx.data_dir / f"sms-{backend}"
    with redis_server(folder / "redis") as redis_url:
        env = _app_env(backend, folder, redis_url, provider)
        ctx.log(f"{backend}: queueing {count:,} SMS")
        queue_messages(env, count)
        provider.reset()
        started = time.perf_counter()
        workers = start_workers(env, folder)
        for worker in workers:
            worker.wait(timeout=600)
        wall = time.perf_counter() - started
        window = dispatch_window(env)
    seconds = window["dispatch_seconds"]
    return {"backend": backend, "database": PG_DATABASE if backend == "postgresql" else "SQLite file",
            "messages": count, **window, "wall_seconds": round(wall, 2),
            "per_s": round(window["sent"] / seconds, 1) if seconds else None,
            "per_s_wall": round(window["sent"] / wall, 1), "provider_sent": len(provider.sent),
            "provider_calls": len(provider.calls), "exit_codes": [worker.returncode for worker in workers]}


@register("sms_dispatch", "SMS sent per second by 2 rq workers to a local fake provider, vs raw HTTP posts",
          render=lambda result: render(result))
def run(ctx: Context) -> dict:
    from tests.fakes.sms_provider import FakeSmsProvider

    count = MESSAGES[ctx.profile.name]
    provider = FakeSmsProvider().start()
    try:
        ctx.log(f"baseline: {count:,} raw HTTP posts from {WORKERS} processes")
        base = baseline(provider, count)
        provider.reset()
        backends = [measure(ctx, backend, provider, count) for backend in ctx.backends]
    finally:
        provider.stop()
    return {"workers": WORKERS, "batch_size": _batch_size(), "concurrency": _concurrency(), "baseline": base,
            "backends": backends, "target_per_s": TARGET_PER_S,
            "errors": sum(b["messages"] - b["sent"] for b in backends)}


def _batch_size() -> int:
    from webapp.messaging.batch import BATCH_SIZE

    return BATCH_SIZE


def _concurrency() -> int:
    from webapp.messaging.batch import CONCURRENCY

    return CONCURRENCY


def render(result: dict) -> list[str]:
    base = result["baseline"]
    lines = [f"{result['workers']} `rq worker -w workers.messaging.PreloadedWorker` processes (fork per job, "
             f"app built once before forking), batch jobs of {result['batch_size']} "
             f"messages, {result['concurrency']} pooled keep-alive calls in flight per worker; the fake provider "
             "is the tests' (stdlib threading HTTP server, dedupes by idempotency key). Baseline in the same run: "
             f"raw HTTP posts from {result['workers']} processes × 8 threads, no database, no queue: "
             f"**{base['per_s']:,.0f} msg/s** ({base['messages']:,} in {base['seconds']} s). Target: "
             f"≥ {result['target_per_s']} msg/s.", "",
             "| database | messages | sent | provider sends | msg/s (first claim → last result) "
             "| msg/s incl. worker start-up | vs raw HTTP |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for b in result["backends"]:
        ratio = f"{b['per_s'] / base['per_s']:.0%}" if b["per_s"] and base["per_s"] else "–"
        lines.append(f"| {b['database']} | {b['messages']:,} | {b['sent']:,} | {b['provider_sent']:,} "
                     f"| {b['per_s'] or 0:,.0f} | {b['per_s_wall']:,.0f} | {ratio} |")
    return lines
