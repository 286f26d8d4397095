"""The large PostgreSQL database of the scale benchmarks (1,000,000 + 10 x 100,000 contacts).

Generating two million contacts takes minutes, so ``--reuse-data`` keeps a database that
already holds data of the profile's size (``--pg-database``, default ``bizalom_bench_scale``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.database import base_env, postgres_version, recreate_postgres
from bench.generate import generate
from bench.registry import Context

SCALE_DATABASE = os.environ.get("BENCH_SCALE_DATABASE", "bizalom_bench_scale")


@dataclass
class ScaleData:
    url: str
    env: dict[str, str]
    big_tenant: int
    contacts: int
    total_contacts: int
    admin_email: str
    password: str
    reused: bool
    app: object = None  # the app of this process (create_app once: some registries refuse a second)


def skip_without_postgres(ctx: Context) -> dict | None:
    """The result of a scale benchmark when the run has no PostgreSQL (SQLite is not measured at 1M)."""
    if "postgresql" in ctx.backends:
        return None
    return {"skipped": "Skipped: this benchmark needs PostgreSQL (not in this run's back ends).", "errors": 0}


def _url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)


def _describe(url: str) -> tuple[int, int, int, str] | None:
    """(big tenant id, its contacts, all contacts, its admin's e-mail), or None for an empty database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not conn.execute(text("SELECT to_regclass('contacts') IS NOT NULL")).scalar():
                return None
            big = conn.execute(text("SELECT tenant_id, count(*) FROM contacts GROUP BY tenant_id "
                                    "ORDER BY count(*) DESC LIMIT 1")).first()
            if big is None:
                return None
            total = conn.execute(text("SELECT count(*) FROM contacts")).scalar()
            admin = conn.execute(text("SELECT email FROM users WHERE tenant_id = :t AND role = 'admin' "
                                      "ORDER BY id LIMIT 1"), {"t": big[0]}).scalar()
            return big[0], big[1], total, admin
    finally:
        engine.dispose()


def scale_data(ctx: Context) -> ScaleData:
    """The migrated, filled scale database (reused when asked and present)."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.demo.services import DEMO_PASSWORD
    from webapp.extensions import db

    if postgres_version(ctx.pg_admin_url) is None:
        raise SystemExit(f"the scale benchmarks need PostgreSQL; not reachable at {ctx.pg_admin_url}")
    name = ctx.pg_database or SCALE_DATABASE
    url = _url(ctx.pg_admin_url, name)
    found = _describe(url) if ctx.reuse_data else None
    instance = ctx.data_dir / "scale-instance"
    instance.mkdir(parents=True, exist_ok=True)
    env = base_env(INSTANCE_PATH=str(instance), DATABASE_URL=url, LOG_LEVEL="WARNING")
    if ctx.redis.startswith("redis://"):  # jobs and the security-log buffer, as in production
        env["REDIS_URL"] = ctx.redis
    app = create_app(environ=env)
    if found is None:
        ctx.log(f"postgresql: creating {name} and generating {ctx.scale_sizes.total_contacts:,} contacts")
        recreate_postgres(ctx.pg_admin_url, name)
    with app.app_context():
        upgrade(revision="heads")  # also brings a reused database to the current schema
        if found is None:
            generated = generate(db.engine, ctx.scale_sizes, seed=ctx.seed)
            ctx.log(f"postgresql: generated in {generated.seconds} s")
        db.engine.dispose()
    big, contacts, total, admin = _describe(url)
    return ScaleData(url=url, env=env, big_tenant=big, contacts=contacts, total_contacts=total,
                     admin_email=admin, password=DEMO_PASSWORD, reused=found is not None, app=app)


def app_for(data: ScaleData):
    return data.app
