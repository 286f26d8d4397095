"""Seeded benchmark data: tenants, users, companies, contacts and leads, in bulk.

PostgreSQL is loaded with ``COPY ... FROM STDIN`` (psycopg 3) through the engine's raw
connection, then vacuumed and analysed; SQLite with batched ``executemany``. The schema
must exist (migrations) and hold no tenant yet.

    python -m bench.generate --tenants 10 --contacts-per-tenant 100000 --big-tenant-contacts 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import islice

from sqlalchemy import Engine, Table, func, select

from bench import rows
from webapp.accounts.models import User
from webapp.crm.models import Company, Contact
from webapp.leads.models import Lead
from webapp.tenants.models import Tenant

SQLITE_BATCH = 5000
TABLES = (Tenant.__table__, User.__table__, Company.__table__, Contact.__table__, Lead.__table__)


@dataclass(frozen=True)
class Sizes:
    """How much to generate; the big tenant (if any) comes on top of ``tenants``."""

    tenants: int = 10
    contacts_per_tenant: int = 1000
    big_tenant_contacts: int = 0
    leads: int = 1000
    users_per_tenant: int = 3

    @property
    def total_contacts(self) -> int:
        return self.tenants * self.contacts_per_tenant + self.big_tenant_contacts


@dataclass(frozen=True)
class TenantLogin:
    """A user who can log in, and the size of the tenant behind it."""

    email: str
    password: str
    name: str
    tenant_id: int
    tenant_name: str
    contacts: int
    big: bool


@dataclass
class Generated:
    sizes: Sizes
    seed: int
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    logins: list[TenantLogin] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def generate(engine: Engine, sizes: Sizes, seed: int = 2026, password: str | None = None) -> Generated:
    """Fill an empty (migrated) database; return row counts and one login per subscribed tenant."""
    from webapp.accounts.passwords import hash_password
    from webapp.demo.services import DEMO_PASSWORD

    started = time.perf_counter()
    password = password or DEMO_PASSWORD
    _require_empty(engine)
    rng = random.Random(seed)
    first = _first_free_ids(engine)
    plans = rows.plan_tenants(rng, first["tenants"], [sizes.contacts_per_tenant] * sizes.tenants,
                              sizes.big_tenant_contacts)
    users = list(rows.user_rows(rng, plans, first["users"], sizes.users_per_tenant, hash_password(password)))
    streams = (
        (Tenant.__table__, rows.TENANT_COLUMNS, rows.tenant_rows(rng, plans)),
        (User.__table__, rows.USER_COLUMNS, users),
        (Company.__table__, rows.COMPANY_COLUMNS, rows.company_rows(rng, plans, first["companies"])),
        (Contact.__table__, rows.CONTACT_COLUMNS, rows.contact_rows(rng, plans, first["contacts"])),
        (Lead.__table__, rows.LEAD_COLUMNS, rows.lead_rows(rng, sizes.leads, first["leads"])),
    )
    out = Generated(sizes=sizes, seed=seed, seconds=0.0)
    for table, columns, source in streams:  # in order: contacts need the company plan filled in
        out.rows[table.name] = write_rows(engine, table, columns, source)
    finish(engine)
    out.logins = _logins(plans, users, password)
    out.seconds = round(time.perf_counter() - started, 2)
    return out


def _require_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Tenant.__table__)):
            raise ValueError("the database already holds tenants; generate into a freshly migrated database")


def _first_free_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: (conn.scalar(select(func.max(t.c.id))) or 0) + 1 for t in TABLES}


def _logins(plans: list[rows.TenantPlan], users: list[tuple], password: str) -> list[TenantLogin]:
    """The admin (first user) of every subscribed tenant without 2FA."""
    admins = {row[4]: row for row in users if row[5] == "admin"}
    return [TenantLogin(email=admins[p.id][1], password=password, name=admins[p.id][2], tenant_id=p.id,
                        tenant_name=p.name, contacts=p.contacts, big=p.big)
            for p in plans if p.state == "subscribed" and not p.require_2fa and p.id in admins]


def write_rows(engine: Engine, table: Table, columns: tuple[str, ...], source: Iterable[tuple]) -> int:
    """Bulk-insert ``source`` (tuples in ``columns`` order); returns the number of rows."""
    if engine.dialect.name == "postgresql":
        return _copy_rows(engine, table.name, columns, source)
    return _insert_batches(engine, table, columns, source)


def _copy_rows(engine: Engine, table: str, columns: tuple[str, ...], source: Iterable[tuple]) -> int:
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    count = 0
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in source:
                copy.write_row(row)
                count += 1
        conn.commit()
    finally:
        raw.close()
    return count


def _insert_batches(engine: Engine, table: Table, columns: tuple[str, ...], source: Iterable[tuple]) -> int:
    count = 0
    iterator = iter(source)
    with engine.begin() as conn:
        while batch := list(islice(iterator, SQLITE_BATCH)):
            conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in batch])
            count += len(batch)
    return count


def finish(engine: Engine) -> None:
    """PostgreSQL: move the id sequences past the explicit ids; VACUUM ANALYZE like a settled database."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in TABLES:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)")
            conn.exec_driver_sql(f"VACUUM ANALYZE {table.name}")


SIZE_OPTIONS = (
    ("tenants", "ordinary tenants"),
    ("contacts_per_tenant", "contacts of each ordinary tenant"),
    ("big_tenant_contacts", "contacts of one extra big tenant, 0 for none"),
    ("leads", "operator leads"),
    ("users_per_tenant", "users of each tenant, the first is admin"),
)


def sizes_arguments(parser, defaults: Sizes | None = Sizes()) -> None:
    """The size options (also used by ``bench.run``, with ``defaults=None``: the profile decides)."""
    for field_name, text in SIZE_OPTIONS:
        default = getattr(defaults, field_name) if defaults else None
        suffix = f" (default {default})" if defaults else ""
        option = "--" + field_name.replace("_", "-")
        parser.add_argument(option, type=int, default=default, help=text + suffix)


def sizes_from(args: argparse.Namespace) -> Sizes:
    return Sizes(tenants=args.tenants, contacts_per_tenant=args.contacts_per_tenant,
                 big_tenant_contacts=args.big_tenant_contacts, leads=args.leads,
                 users_per_tenant=args.users_per_tenant)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sizes_arguments(parser)
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default %(default)s)")
    parser.add_argument("--database-url",
                        help="SQLAlchemy URL (default: $DATABASE_URL, else the SQLite default)")
    parser.add_argument("--instance-path", help="instance folder (default: $INSTANCE_PATH, else instance/)")
    parser.add_argument("--no-migrate", action="store_true", help="do not run the migrations first")
    args = parser.parse_args(argv)
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db

    environ = dict(os.environ)
    environ.update({k: v for k, v in (("DATABASE_URL", args.database_url),
                                      ("INSTANCE_PATH", args.instance_path)) if v})
    app = create_app(environ=environ)
    with app.app_context():
        if not args.no_migrate:
            upgrade(revision="heads")
        try:
            result = generate(db.engine, sizes_from(args), seed=args.seed)
        except ValueError as exc:
            parser.exit(2, f"bench.generate: {exc}\n")
        finally:
            db.engine.dispose()
    print(f"generated in {result.seconds} s on {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}:",
          ", ".join(f"{n} {t}" for t, n in result.rows.items()))
    for login in result.logins[:5]:
        print(f"  login {login.email} / {login.password} ({login.tenant_name}, {login.contacts} contacts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
