"""list_search: the contacts list of the 1,000,000-contact tenant against the bare SQL it runs.

Scenarios: the first page (full page), a deep keyset page (the "load more" fragment half-way
through the list) and active searches (the htmx fragment) by surname, first name, e-mail
prefix, phone digits and company name. Each request is timed in-process (server time); right
after it, the list query the request ran is run again, alone, on a plain psycopg connection
(bare SQL). The ratio is p50 and p95 of the page against those of its bare query.
"""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import text

from bench.database import postgres_version
from bench.inproc import BareSql, Timings, captured_sql, logged_in_client, timed
from bench.registry import Context, register
from bench.scale import app_for, scale_data, skip_without_postgres

LIMIT_MS = 50.0
LIMIT_RATIO = 3.0
HTMX = {"HX-Request": "true"}


def _list_query(statements: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The statement that reads the page's contacts (the one with ORDER BY ... LIMIT on contacts)."""
    found = [s for s in statements if "FROM contacts" in s[0] and "LIMIT" in s[0]]
    if not found:
        raise RuntimeError("the request ran no contacts list query")
    return found[-1:]


def _scenarios(app, data) -> list[dict]:
    from webapp import tenancy
    from webapp.crm import services
    from webapp.crm.models import Contact
    from webapp.extensions import db

    with app.app_context(), tenancy.scoped(data.big_tenant):
        live = db.session.scalar(text("SELECT count(*) FROM contacts WHERE tenant_id = :t AND deleted_at IS NULL"),
                                 {"t": data.big_tenant})
        middle = db.session.execute(
            db.select(Contact.last_name, Contact.first_name, Contact.id).where(Contact.deleted_at.is_(None))
            .order_by(Contact.last_name, Contact.first_name, Contact.id).offset(live // 2).limit(1)).one()
        sample = db.session.execute(
            db.select(Contact.first_name, Contact.email, Contact.phone).where(
                Contact.deleted_at.is_(None), Contact.email.is_not(None), Contact.phone.is_not(None))
            .order_by(Contact.id).offset(live // 3).limit(1)).one()
        company = db.session.scalar(text("SELECT name FROM companies WHERE tenant_id = :t ORDER BY id "
                                         "OFFSET 1000 LIMIT 1"), {"t": data.big_tenant})
        db.session.rollback()
    cursor = services._encode(tuple(middle))
    email_prefix = sample.email.split("@")[0]
    searches = [("surname (common)", "varga"), ("surname prefix, 2 letters", "ko"),
                ("first name", sample.first_name.lower()), ("e-mail prefix", email_prefix),
                ("phone digits", sample.phone.lstrip("+")[-7:]), ("company name", company.split()[0].lower())]
    scenarios = [{"name": "first page", "path": "/contacts", "headers": {}},
                 {"name": f"deep page (keyset, row {live // 2:,})", "path": "/contacts?" + urlencode(
                     {"after": cursor}), "headers": HTMX}]
    scenarios += [{"name": f"search: {label} ({term!r})", "path": "/contacts?" + urlencode({"q": term}),
                   "headers": HTMX} for label, term in searches]
    return scenarios


def _measure(app, client, bare: BareSql, scenario: dict, runs: int, warmup: int) -> dict:
    from webapp.extensions import db

    with app.app_context():
        engine = db.engine
    with captured_sql(engine) as statements:
        response = client.get(scenario["path"], headers=scenario["headers"])
    if response.status_code != 200:
        raise RuntimeError(f"{scenario['path']} answered {response.status_code}")
    query = _list_query(statements)
    statements = [s for s in statements if s[0].lstrip().upper().startswith("SELECT") and "set_config" not in s[0]]
    rows = bare.run(query)
    page, sql, all_sql = Timings(), Timings(), Timings()
    for index in range(warmup + runs):
        seconds, response = timed(lambda: client.get(scenario["path"], headers=scenario["headers"]))
        sql_seconds, _ = timed(lambda: bare.run(query))
        all_seconds, _ = timed(lambda: bare.run(statements))
        if response.status_code != 200:
            raise RuntimeError(f"{scenario['path']} answered {response.status_code}")
        if index >= warmup:
            page.add(seconds)
            sql.add(sql_seconds)
            all_sql.add(all_seconds)
    p, s = page.summary(), sql.summary()
    return {**scenario, "headers": sorted(scenario["headers"]), "rows": rows, "statements": len(statements),
            "page": p, "bare_sql": s, "all_sql": all_sql.summary(),
            "p50_ratio": round(p["p50_ms"] / s["p50_ms"], 2), "p95_ratio": round(p["p95_ms"] / s["p95_ms"], 2),
            "ok": p["p95_ms"] <= LIMIT_MS and p["p95_ms"] <= LIMIT_RATIO * s["p95_ms"]}


@register("list_search", "contacts first page, deep keyset page and active search at 1M contacts vs bare SQL "
          "(PostgreSQL, in-process server time)", render=lambda result: render(result))
def list_search(ctx: Context) -> dict:
    if skipped := skip_without_postgres(ctx):
        return skipped
    data = scale_data(ctx)
    app = app_for(data)
    client = logged_in_client(app, data.admin_email, data.password)
    bare = BareSql(data.url, data.big_tenant)
    runs, warmup = (40, 5) if ctx.profile.name == "quick" else (100, 10)
    try:
        results = []
        for scenario in _scenarios(app, data):
            ctx.log(f"list_search: {scenario['name']}")
            results.append(_measure(app, client, bare, scenario, runs, warmup))
    finally:
        bare.close()
        with app.app_context():
            from webapp.extensions import db

            db.engine.dispose()
    return {"backends": [{"database": "PostgreSQL " + str(postgres_version(ctx.pg_admin_url))}],
            "database": data.url.rsplit("/", 1)[-1], "tenant_contacts": data.contacts,
            "total_contacts": data.total_contacts, "reused_data": data.reused, "runs": runs, "warmup": warmup,
            "scenarios": results, "errors": 0}


def render(result: dict) -> list[str]:
    if result.get("skipped"):
        return [result["skipped"]]
    lines = [f"PostgreSQL database `{result['database']}`: {result['total_contacts']:,} contacts, the measured "
             f"tenant holds {result['tenant_contacts']:,}. {result['runs']} timed runs per row after "
             f"{result['warmup']} warm-up runs, one at a time. *Page* is the server time of the request "
             "in-process (Flask test client: session, authorisation, tenant scope, queries, template); "
             "*bare SQL* is the list query that request ran, alone, on a plain psycopg connection, timed "
             "right after each request. Goal: page p95 ≤ 50 ms and ≤ 3× bare SQL p95.", "",
             "| scenario | rows | page p50 ms | page p95 ms | bare SQL p50 ms | bare SQL p95 ms "
             "| all SELECTs of the request p95 ms | p95 ratio | goal met |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for s in result["scenarios"]:
        lines.append(f"| {s['name']} | {s['rows']} | {s['page']['p50_ms']:.1f} | {s['page']['p95_ms']:.1f} "
                     f"| {s['bare_sql']['p50_ms']:.1f} | {s['bare_sql']['p95_ms']:.1f} "
                     f"| {s['all_sql']['p95_ms']:.1f} | {s['p95_ratio']:.1f}× | {'yes' if s['ok'] else 'no'} |")
    return lines
