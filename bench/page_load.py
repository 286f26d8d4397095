"""page_load: the home page ``/`` of a logged-in tenant user against a bare Flask page.

Both are served by ``gunicorn --workers 2`` (sync workers) on 127.0.0.1 and loaded by
``bench.loadgen`` with the same settings in the same run. Every home-page measurement
is paired with a bare one taken just before it, so a machine that gets busier or
quieter during the run moves both sides of each ratio alike. The home page runs the
real queries: count of live contacts and companies, five most recent contacts.
"""

from __future__ import annotations

from statistics import mean

from markupsafe import escape

from bench.client import Browser
from bench.database import Prepared, base_env, prepare
from bench.generate import TenantLogin
from bench.loadgen import run_load
from bench.registry import Context, register
from bench.server import WORKERS, gunicorn, redis_for, redis_label

BARE_APP = "bench.bare_app:app"
REAL_APP = "wsgi:app"
SPREAD_WARNING = 0.15


def _measure(ctx: Context, port: int, headers: dict[str, str]) -> dict:
    p = ctx.profile
    run_load(port, "/", headers=headers, concurrency=p.concurrency, max_requests=p.max_requests,
             duration_s=p.warmup_s)
    result = run_load(port, "/", headers=headers, concurrency=p.concurrency, max_requests=p.max_requests,
                      duration_s=p.duration_s)
    return result.as_dict()


def _chosen_logins(logins: list[TenantLogin]) -> list[TenantLogin]:
    """A typical tenant, then the big one (when generated)."""
    typical = [login for login in logins if not login.big][:1]
    big = [login for login in logins if login.big][:1]
    return typical + big


def _logged_in(port: int, login: TenantLogin) -> Browser:
    browser = Browser(port)
    browser.login(login.email, login.password)
    status, _headers, page = browser.request("GET", "/")
    if status != 200 or str(escape(login.tenant_name)) not in page:
        raise RuntimeError(f"home page of {login.email} is not the tenant's workspace (status {status})")
    return browser


def _pair(ctx: Context, bare_port: int, port: int, login: TenantLogin) -> dict:
    """Bare page, then the tenant's home page, under the same load."""
    browser = _logged_in(port, login)
    bare = _measure(ctx, bare_port, {})
    stats = _measure(ctx, port, browser.cookie_header())
    return {"path": "/", "tenant": "big" if login.big else "typical", "tenant_contacts": login.contacts,
            "stats": stats, "bare": bare,
            "rps_vs_bare": round(stats["rps"] / bare["rps"], 4) if bare["rps"] else None,
            "p50_vs_bare": round(stats["p50_ms"] / bare["p50_ms"], 1) if bare["p50_ms"] else None}


def _measure_backend(ctx: Context, backend: str, bare_port: int) -> dict:
    ctx.log(f"{backend}: migrating and generating {ctx.profile.sizes.total_contacts:,} contacts")
    prepared: Prepared = prepare(backend, ctx.data_dir / backend, ctx.profile.sizes, ctx.seed,
                                 ctx.pg_admin_url)
    ctx.log(f"{backend}: data ready in {prepared.generated.seconds} s ({prepared.database})")
    with redis_for(ctx.redis, ctx.data_dir / f"redis-{backend}") as redis_url:
        env = prepared.env | ({"REDIS_URL": redis_url} if redis_url else {})
        pages = _pages(ctx, backend, env, prepared.generated.logins, bare_port)
    data = prepared.generated.as_dict()
    data.pop("logins")
    return {"backend": backend, "database": prepared.database, "data": data, "pages": pages}


def _pages(ctx: Context, backend: str, env: dict, logins: list[TenantLogin], bare_port: int) -> list[dict]:
    pages = []
    with gunicorn(REAL_APP, env, ctx.data_dir / f"gunicorn-{backend}.log", "/healthz") as server:
        for login in _chosen_logins(logins):
            ctx.log(f"{backend}: bare page, then home page of a tenant with {login.contacts:,} contacts")
            pages.append(_pair(ctx, bare_port, server.port, login))
    return pages


def _baseline(result: dict) -> dict:
    bare = [page["bare"] for backend in result["backends"] for page in backend["pages"]]
    if not bare:
        return {}
    rps = [b["rps"] for b in bare]
    return {"pairs": len(bare), "rps_mean": round(mean(rps), 1), "rps_min": min(rps), "rps_max": max(rps),
            "p50_ms_mean": round(mean(b["p50_ms"] for b in bare), 2),
            "spread": round((max(rps) - min(rps)) / mean(rps), 3) if mean(rps) else None}


def _errors(result: dict) -> int:
    pages = [page for backend in result["backends"] for page in backend["pages"]]
    return sum(page["stats"]["errors"] + page["bare"]["errors"] for page in pages)


def _ratio(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def _row(label: str, page: dict) -> str:
    stats, bare = page["stats"], page["bare"]
    return (f"| {label} | {page['tenant_contacts']:,} | {stats['rps']:,.0f} | {stats['p50_ms']:.1f} "
            f"| {stats['p95_ms']:.1f} | {stats['p99_ms']:.1f} | {stats['requests']:,} | {stats['errors']} "
            f"| {bare['rps']:,.0f} | {bare['p50_ms']:.1f} "
            f"| {_ratio(page['rps_vs_bare'], '.1%')} | {_ratio(page['p50_vs_bare'], '.1f')}× |")


def render(result: dict) -> list[str]:
    s, base = result["settings"], result["baseline"]
    lines = [f"Server: {s['server']}; jobs and security-log buffer: {s.get('jobs', '?')}; "
             f"load: {s['concurrency']} client threads, {s['warmup_s']:g} s warm-up "
             f"then {s['duration_s']:g} s (at most {s['max_requests']:,} requests) per measurement. "
             "Each row is paired with a bare-Flask measurement taken just before it; the ratios are "
             f"against that pair (bare: {base.get('rps_min', 0):,.0f}–{base.get('rps_max', 0):,.0f} req/s "
             f"over {base.get('pairs', 0)} measurements, spread {base.get('spread') or 0:.0%}).", "",
             "| page | tenant contacts | req/s | p50 ms | p95 ms | p99 ms | requests | errors "
             "| bare req/s | bare p50 ms | req/s vs bare | p50 vs bare |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for backend in result["backends"]:
        for page in backend["pages"]:
            label = f"`/` on {backend['database'].split(' (')[0]}, {page['tenant']} tenant"
            lines.append(_row(label, page))
    return lines


@register("page_load", "home page of a logged-in tenant user vs a bare Flask page, both under gunicorn",
          render=render)
def page_load(ctx: Context) -> dict:
    p = ctx.profile
    settings = {"server": f"gunicorn, {WORKERS} sync workers", "jobs": redis_label(ctx.redis),
                "concurrency": p.concurrency,
                "duration_s": p.duration_s, "warmup_s": p.warmup_s, "max_requests": p.max_requests}
    result = {"settings": settings, "backends": []}
    ctx.log("starting the bare Flask baseline server")
    with gunicorn(BARE_APP, base_env(), ctx.data_dir / "gunicorn-bare.log") as bare:
        for backend in ctx.backends:
            result["backends"].append(_measure_backend(ctx, backend, bare.port))
    result["baseline"] = _baseline(result)
    result["errors"] = _errors(result)
    if (result["baseline"].get("spread") or 0) > SPREAD_WARNING:
        ctx.notes.append(f"page_load: the bare baseline varied {result['baseline']['spread']:.0%} during the "
                         "run (a busy machine); each ratio uses its own paired bare measurement")
    return result
