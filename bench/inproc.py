"""In-process measurement: the real app through its WSGI interface, and the bare SQL it runs.

Server time is the time the app takes for one request inside the process (Flask test client,
no socket, no gunicorn): the part a slow query or template would show in. The SQL statements
a request runs are captured from the engine, so the bare-SQL baseline runs exactly those
statements, with the same parameters and the same tenant setting (row-level security), on a
plain psycopg connection.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from statistics import median, quantiles

from sqlalchemy import event

from bench.client import _CsrfFinder


@dataclass
class Timings:
    """Milliseconds of repeated runs of one thing."""

    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(seconds * 1000)

    def summary(self) -> dict:
        s = sorted(self.samples)
        p95 = quantiles(s, n=20, method="inclusive")[18] if len(s) > 1 else s[0]
        return {"n": len(s), "p50_ms": round(median(s), 2), "p95_ms": round(p95, 2),
                "max_ms": round(s[-1], 2)}


def timed(func: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def logged_in_client(app, email: str, password: str):
    client = app.test_client()
    finder = _CsrfFinder()
    finder.feed(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": finder.token,
                                           "next": ""})
    if response.status_code != 303:
        raise RuntimeError(f"login of {email} failed with status {response.status_code}")
    return client


@contextmanager
def captured_sql(engine) -> Iterator[list[tuple[str, object]]]:
    """Collect (statement, parameters) of everything the engine runs inside the block."""
    seen: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, _context, executemany):
        if not executemany:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", remember)


class BareSql:
    """A plain psycopg connection that runs captured statements as the tenant (RLS setting included)."""

    def __init__(self, url: str, tenant_id: int):
        import psycopg

        self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        self.conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(tenant_id),))

    def run(self, statements: list[tuple[str, object]]) -> int:
        rows = 0
        with self.conn.cursor() as cursor:
            for statement, parameters in statements:
                cursor.execute(statement, parameters or None)
                if cursor.description is not None:
                    rows += len(cursor.fetchall())
        return rows

    def close(self) -> None:
        self.conn.close()
