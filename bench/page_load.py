"""page_load: the home page ``/`` of a logged-in tenant user against a bare Flask page.

Both are served by ``gunicorn --workers 2`` (sync workers) on 127.0.0.1 and loaded by
``bench.loadgen`` with the same settings in the same run; the bare page is measured
before and after the real ones so drift on a busy machine shows. The home page runs
the real queries: count of live contacts and companies, five most recent contacts.
"""

from __future__ import annotations

from markupsafe import escape

from bench.client import Browser
from bench.database import Prepared, base_env, prepare
from bench.generate import TenantLogin
from bench.loadgen import run_load
from bench.registry import Context, register
from bench.server import WORKERS, gunicorn

BARE_APP = "bench.bare_app:app"
REAL_APP = "wsgi:app"
DRIFT_WARNING = 0.15


def _measure(ctx: Context, port: int, headers: dict[str, str]) -> dict:
    p = ctx.profile
    run_load(port, "/", headers=headers, concurrency=p.concurrency, max_requests=p.max_requests,
             duration_s=p.warmup_s)
    result = run_load(port, "/", headers=headers, concurrency=p.concurrency, max_requests=p.max_requests,
                      duration_s=p.duration_s)
    return result.as_dict()


def _measure_bare(ctx: Context, when: str) -> dict:
    ctx.log(f"bare Flask baseline ({when})")
    with gunicorn(BARE_APP, base_env(), ctx.data_dir / "gunicorn-bare.log") as server:
        return _measure(ctx, server.port, {})


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


def _measure_backend(ctx: Context, backend: str) -> dict:
    ctx.log(f"{backend}: migrating and generating {ctx.profile.sizes.total_contacts:,} contacts")
    prepared: Prepared = prepare(backend, ctx.data_dir / backend, ctx.profile.sizes, ctx.seed,
                                 ctx.pg_admin_url)
    ctx.log(f"{backend}: data ready in {prepared.generated.seconds} s ({prepared.database})")
    pages = []
    with gunicorn(REAL_APP, prepared.env, ctx.data_dir / f"gunicorn-{backend}.log", "/healthz") as server:
        for login in _chosen_logins(prepared.generated.logins):
            ctx.log(f"{backend}: home page of a tenant with {login.contacts:,} contacts")
            browser = _logged_in(server.port, login)
            pages.append({"path": "/", "tenant": "big" if login.big else "typical",
                          "tenant_contacts": login.contacts,
                          "stats": _measure(ctx, server.port, browser.cookie_header())})
    data = prepared.generated.as_dict()
    data.pop("logins")
    return {"backend": backend, "database": prepared.database, "data": data, "pages": pages}


def _add_ratios(result: dict) -> None:
    before, after = result["baseline"]["before"], result["baseline"]["after"]
    rps = (before["rps"] + after["rps"]) / 2
    p50 = (before["p50_ms"] + after["p50_ms"]) / 2
    result["baseline"]["rps"] = round(rps, 1)
    result["baseline"]["p50_ms"] = round(p50, 2)
    result["baseline"]["drift"] = round(abs(before["rps"] - after["rps"]) / rps, 3) if rps else None
    for backend in result["backends"]:
        for page in backend["pages"]:
            stats = page["stats"]
            page["rps_vs_bare"] = round(stats["rps"] / rps, 3) if rps else None
            page["p50_vs_bare"] = round(stats["p50_ms"] / p50, 1) if p50 else None


def _row(label: str, contacts: str, stats: dict, rps_ratio: str, p50_ratio: str) -> str:
    return (f"| {label} | {contacts} | {stats['rps']:,.0f} | {stats['p50_ms']:.1f} "
            f"| {stats['p95_ms']:.1f} | {stats['p99_ms']:.1f} | {stats['requests']:,} | {stats['errors']} "
            f"| {rps_ratio} | {p50_ratio} |")


def _errors(result: dict) -> int:
    stats = [result["baseline"]["before"], result["baseline"]["after"]]
    stats += [page["stats"] for backend in result["backends"] for page in backend["pages"]]
    return sum(s["errors"] for s in stats)


def render(result: dict) -> list[str]:
    s = result["settings"]
    base = result["baseline"]
    lines = [f"Server: {s['server']}; load: {s['concurrency']} client threads, "
             f"{s['warmup_s']:g} s warm-up then {s['duration_s']:g} s "
             f"(at most {s['max_requests']:,} requests) per row. "
             "Ratios are against the mean of the two bare measurements "
             f"({base['rps']:,.0f} req/s, p50 {base['p50_ms']:.1f} ms; drift {base['drift']:.0%}).", "",
             "| page | tenant contacts | req/s | p50 ms | p95 ms | p99 ms | requests | errors "
             "| req/s vs bare | p50 vs bare |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
             _row("bare Flask (before)", "–", base["before"], "1", "1")]
    for backend in result["backends"]:
        for page in backend["pages"]:
            label = f"`/` on {backend['database'].split(' (')[0]}, {page['tenant']} tenant"
            lines.append(_row(label, f"{page['tenant_contacts']:,}", page["stats"],
                              f"{page['rps_vs_bare']:.1%}", f"{page['p50_vs_bare']:.1f}×"))
    lines.append(_row("bare Flask (after)", "–", base["after"], "1", "1"))
    return lines


@register("page_load", "home page of a logged-in tenant user vs a bare Flask page, both under gunicorn",
          render=render)
def page_load(ctx: Context) -> dict:
    p = ctx.profile
    settings = {"server": f"gunicorn, {WORKERS} sync workers", "concurrency": p.concurrency,
                "duration_s": p.duration_s, "warmup_s": p.warmup_s, "max_requests": p.max_requests}
    result = {"settings": settings,
              "baseline": {"before": _measure_bare(ctx, "before")}, "backends": []}
    for backend in ctx.backends:
        result["backends"].append(_measure_backend(ctx, backend))
    result["baseline"]["after"] = _measure_bare(ctx, "after")
    _add_ratios(result)
    result["errors"] = _errors(result)
    if (result["baseline"]["drift"] or 0) > DRIFT_WARNING:
        ctx.notes.append(f"page_load: the bare baseline moved {result['baseline']['drift']:.0%} between "
                         "its two measurements; the machine was busy, treat the figures with care")
    return result
