"""Retention purge speed: the engine's batched, set-based purge of expired leads vs one raw DELETE.

PostgreSQL only (database ``bizalom_bench_h``, recreated and migrated). The ``leads`` table is
filled by ``COPY`` with N expired newsletter leads plus 1 % recent ones that must stay, then
``VACUUM ANALYZE``d. Measured in the same run, on the same freshly generated rows:

1. baseline: one ``DELETE FROM leads WHERE source = 'newsletter' AND last_interaction_at < cutoff``
   in one transaction (commit included);
2. the table is regenerated the same way;
3. the engine: ``retention.engine.apply`` of the ``leads_newsletter`` target (its counts, the
   hold/restriction exclusion, keyset batches of ``batch_size`` committed one by one).

Each measurement runs in a fresh spawned process so its peak RSS (``ru_maxrss``) is its own.
Target: engine time ≤ 2 × raw DELETE time (≥ 50 % of its speed), memory flat.
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import statistics
import time
from datetime import UTC, datetime, timedelta

from bench.database import PG_ADMIN_URL, base_env, recreate_postgres
from bench.registry import Context, register

PG_DATABASE = "bizalom_bench_h"
ROWS = {"quick": 100_000, "full": 1_000_000}
AS_OF = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TARGET_RATIO = 0.5
REPEATS = 3  # alternating rounds; medians reported (the machine is shared)


def _env(url: str, folder) -> dict[str, str]:
    return base_env(BIZALOM_ENV="test", DATABASE_URL=url, INSTANCE_PATH=str(folder), LOG_LEVEL="WARNING")


def migrate(env: dict[str, str]) -> None:
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db

    app = create_app(environ=env)
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()


def _psycopg_url(env: dict[str, str]) -> str:
    return env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://", 1)


def generate(env: dict[str, str], rows: int) -> dict:
    """TRUNCATE, then COPY ``rows`` expired newsletter leads and rows // 100 recent ones."""
    import psycopg

    expired_at = AS_OF - timedelta(days=800)
    recent_at = AS_OF - timedelta(days=10)
    keep = rows // 100
    started = time.perf_counter()
    with psycopg.connect(_psycopg_url(env), autocommit=True) as conn:
        conn.execute("TRUNCATE leads RESTART IDENTITY CASCADE")
        with conn.cursor() as cursor, cursor.copy(
                "COPY leads (name, email, phone, source, last_interaction_at, created_at) FROM STDIN") as copy:
            chunk = io.StringIO()
            for index in range(rows + keep):
                moment = (recent_at if index % 101 == 100 else expired_at) + timedelta(seconds=index % 86400)
                chunk.write(f"Lead {index}\tlead{index}@example.org\t+3630{index % 10_000_000:07d}\tnewsletter"
                            f"\t{moment.isoformat()}\t{moment.isoformat()}\n")
                if index % 50_000 == 49_999:
                    copy.write(chunk.getvalue())
                    chunk = io.StringIO()
            copy.write(chunk.getvalue())
        conn.execute("VACUUM ANALYZE leads")
        expired = conn.execute("SELECT count(*) FROM leads WHERE last_interaction_at < %s",
                               (AS_OF - timedelta(days=365),)).fetchone()[0]
        total = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    return {"expired": expired, "kept": total - expired, "seconds": round(time.perf_counter() - started, 1)}


def _raw_delete(env: dict[str, str], cutoff: datetime, out) -> None:
    import psycopg

    with psycopg.connect(_psycopg_url(env)) as conn:
        started = time.perf_counter()
        deleted = conn.execute("DELETE FROM leads WHERE source = 'newsletter' AND last_interaction_at < %s",
                               (cutoff,)).rowcount
        conn.commit()
        seconds = time.perf_counter() - started
    out.put({"deleted": deleted, "seconds": seconds,
             "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _engine_purge(env: dict[str, str], out) -> None:
    from webapp import create_app
    from webapp.extensions import db
    from webapp.retention import engine, registry

    app = create_app(environ=env)
    with app.app_context():
        target = next(t for t in registry.targets() if t.name == "leads_newsletter")
        db.session.execute(db.text("SELECT 1"))  # connect before the clock starts, as the raw DELETE does
        db.session.commit()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        outcome = engine.apply(target, AS_OF, dry_run=False)
        seconds = time.perf_counter() - started
        db.engine.dispose()
    out.put({"deleted": outcome.affected, "candidates": outcome.candidates, "error": outcome.error,
             "seconds": seconds, "batch_size": target.batch_size, "rss_before_mib": rss_before,
             "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _in_child(func, *args) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=func, args=(*args, queue))
    process.start()
    result = queue.get(timeout=3600)
    process.join()
    return result


def _remaining(env: dict[str, str]) -> int:
    import psycopg

    with psycopg.connect(_psycopg_url(env)) as conn:
        return conn.execute("SELECT count(*) FROM leads").fetchone()[0]


@register("retention", "retention engine purge of 1,000,000 expired leads vs one raw DELETE (PostgreSQL)",
          render=lambda result: render(result))
def run(ctx: Context) -> dict:
    if "postgresql" not in ctx.backends:
        ctx.notes.append("retention: PostgreSQL not selected; benchmark skipped")
        return {"skipped": True, "backends": []}
    rows = ROWS[ctx.profile.name]
    folder = ctx.data_dir / "retention"
    folder.mkdir(parents=True, exist_ok=True)
    env = _env(recreate_postgres(ctx.pg_admin_url or PG_ADMIN_URL, PG_DATABASE), folder)
    migrate(env)
    cutoff = AS_OF - timedelta(days=365)  # the seeded newsletter rule: 365 days after the last interaction
    rounds = [_round(ctx, env, rows, cutoff, number) for number in range(1, REPEATS + 1)]
    raw_s = statistics.median(r["raw"]["seconds"] for r in rounds)
    engine_s = statistics.median(r["engine"]["seconds"] for r in rounds)
    backend = {"backend": "postgresql", "database": PG_DATABASE, "rows": rows, "rounds": rounds,
               "raw_median_s": round(raw_s, 3), "engine_median_s": round(engine_s, 3),
               "speed_ratio": round(raw_s / engine_s, 3) if engine_s else None}
    errors = sum(_wrong(r) for r in rounds)
    return {"backends": [backend], "target_ratio": TARGET_RATIO, "errors": errors, "repeats": REPEATS,
            "as_of": AS_OF.isoformat(), "cutoff": cutoff.isoformat()}


def _wrong(r: dict) -> int:
    expired, kept = r["generated"]["expired"], r["generated"]["kept"]
    return int(r["engine"]["deleted"] != expired or r["raw"]["deleted"] != expired or r["engine"]["remaining"] != kept)


def _round(ctx: Context, env: dict[str, str], rows: int, cutoff: datetime, number: int) -> dict:
    """One raw DELETE and one engine purge, each on freshly generated rows."""
    ctx.log(f"retention round {number}: generating {rows:,} expired leads (COPY), raw DELETE")
    generated = generate(env, rows)
    raw = _raw_delete_checked(env, cutoff, generated)
    ctx.log(f"retention round {number}: regenerating, engine purge")
    generate(env, rows)
    purge = _in_child(_engine_purge, env)
    purge["remaining"] = _remaining(env)
    return {"generated": generated, "raw": _rounded(raw), "engine": _rounded(purge),
            "ratio": round(raw["seconds"] / purge["seconds"], 3)}


def _raw_delete_checked(env, cutoff, generated) -> dict:
    result = _in_child(_raw_delete, env, cutoff)
    result["remaining"] = _remaining(env)
    return result


def _rounded(values: dict) -> dict:
    return {key: round(value, 3) if isinstance(value, float) else value for key, value in values.items()}


def render(result: dict) -> list[str]:
    if result.get("skipped"):
        return ["Skipped: needs PostgreSQL."]
    lines = ["`leads` filled by COPY with N expired newsletter leads (+1 % recent ones that stay), "
             "`VACUUM ANALYZE`d; the raw `DELETE` and the engine each run on freshly generated rows, "
             "in their own spawned process (peak RSS is that process's `ru_maxrss`, interpreter and app "
             f"included). Both statements fire the same cascades to the tables referencing `leads`. "
             f"Target: engine ≥ {TARGET_RATIO:.0%} of the raw DELETE's speed.", "",
             "| database | expired rows | raw DELETE s | engine s | engine speed vs raw | batch | "
             "engine peak RSS MiB (growth during the purge) | raw peak RSS MiB | rows left (must = recent) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for b in result["backends"]:
        for number, r in enumerate(b["rounds"], 1):
            raw, purge = r["raw"], r["engine"]
            lines.append(f"| {b['database']} round {number} | {purge['deleted']:,} | {raw['seconds']:.2f} "
                         f"| {purge['seconds']:.2f} | {r['ratio']:.0%} | {purge['batch_size']:,} "
                         f"| {purge['peak_rss_mib']:.0f} (+{purge['peak_rss_mib'] - purge['rss_before_mib']:.1f}) "
                         f"| {raw['peak_rss_mib']:.0f} | {purge['remaining']:,} |")
        lines.append(f"| **median of {len(b['rounds'])}** | | **{b['raw_median_s']:.2f}** "
                     f"| **{b['engine_median_s']:.2f}** | **{b['speed_ratio']:.0%}** | | | | |")
    return lines
