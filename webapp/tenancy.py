"""Tenant isolation by construction: one mechanism scopes every ORM query to the current tenant.

Models holding a tenant's customer data inherit ``TenantOwned``. The tenant of a unit of work is
set once (per request by ``scope_request``, per job by ``scoped``) in ``db.session.info``:

- every ORM SELECT, UPDATE and DELETE touching a ``TenantOwned`` model gets
  ``tenant_id = :current`` added (``with_loader_criteria``, aliases and relationships included);
- with no tenant set, such a statement raises ``TenantScopeError``: operator staff, whose
  requests carry no tenant, cannot read customer data even by mistake;
- new rows get the current tenant; a row for another tenant cannot be flushed;
- ``all_tenants()`` is the one explicit, greppable way out, for system jobs (retention, benchmarks).

On PostgreSQL a second wall stands behind this one: row-level security policies on every tenant
table (``rls_statements``, applied by migrations) compare ``tenant_id`` with the transaction-local
setting ``app.tenant_id``, which this module keeps equal to the tenant in scope. A transaction
that ran an ``all_tenants()`` statement sets ``app.all_tenants = on`` for itself. The policies are
FORCEd, so they bind the table owner too; only a superuser bypasses them, so production connects
as an ordinary role.

No route writes ``tenant_id == ...`` itself.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import ForeignKey, Join, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from webapp.extensions import db

TENANT_KEY = "tenant_id"
BYPASS_OPTION = "all_tenants"


class TenantScopeError(RuntimeError):
    """Customer data was touched without a tenant in scope."""


class TenantOwned:
    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr
        # indexed by each model's composite indexes, which all start with tenant_id
        return mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)


def current_tenant_id(session: Session | None = None) -> int | None:
    return (session or db.session).info.get(TENANT_KEY)


def set_tenant(tenant_id: int | None) -> None:
    session = db.session()
    if tenant_id is None:
        session.info.pop(TENANT_KEY, None)
    else:
        session.info[TENANT_KEY] = int(tenant_id)
    if session.in_transaction():
        _mirror_to_postgres(session, session.connection())


def _mirror_to_postgres(session: Session, connection, all_tenants: bool = False) -> None:
    """Keep PostgreSQL's transaction-local ``app.tenant_id`` equal to the tenant in scope."""
    if connection.dialect.name != "postgresql":
        return
    tenant_id = session.info.get(TENANT_KEY)
    connection.exec_driver_sql(
        "SELECT set_config('app.tenant_id', %s, true), set_config('app.all_tenants', %s, true)",
        ("" if tenant_id is None else str(tenant_id), "on" if all_tenants else "off"))


@contextmanager
def scoped(tenant_id: int):
    """Run a block (a job, a CLI command) as one tenant."""
    previous = current_tenant_id()
    set_tenant(tenant_id)
    try:
        yield
    finally:
        set_tenant(previous)


def all_tenants(statement):
    """Mark one statement as deliberately cross-tenant (system jobs only)."""
    return statement.execution_options(**{BYPASS_OPTION: True})


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, TenantOwned) for mapper in state.all_mappers)


_TENANT_TABLES: tuple[int, frozenset] = (-1, frozenset())


def _tenant_tables() -> frozenset:
    """The tables of tenant-owned models (recomputed only when models are added)."""
    global _TENANT_TABLES
    mappers = db.Model.registry.mappers
    if _TENANT_TABLES[0] != len(mappers):
        _TENANT_TABLES = (len(mappers), frozenset(mapper.local_table for mapper in mappers
                                                  if issubclass(mapper.class_, TenantOwned)))
    return _TENANT_TABLES[1]


def _scope_bare_froms(state: ORMExecuteState) -> None:
    """Statements that name a tenant table only in FROM (``select(func.count()).select_from(Contact)``)
    carry no entity for the loader criteria: filter those tables directly, or refuse."""
    if not state.is_select or state.execution_options.get(BYPASS_OPTION):
        return
    tables = _tenant_tables()
    found = [table for table in find_tables(state.statement, include_joins=True, include_crud=True)
             if table in tables]
    if not found:
        return
    froms = state.statement.get_final_froms()  # costly: only for statements that name a tenant table
    tenant_id = state.session.info.get(TENANT_KEY)
    direct = [t for f in froms for t in find_tables(f, include_joins=True) if t in tables and
              (f is t or isinstance(f, Join))]
    if tenant_id is None or len(set(direct)) != len(set(found)):
        raise TenantScopeError("customer data queried without a tenant in scope, or through a subquery "
                               "the tenant filter cannot reach; select the ORM entity instead")
    state.statement = state.statement.where(*(table.c.tenant_id == tenant_id for table in set(direct)))


def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if not _touches_tenant_data(state):
        _scope_bare_froms(state)
        return
    if state.execution_options.get(BYPASS_OPTION):
        _mirror_to_postgres(state.session, state.session.connection(), all_tenants=True)
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None:
        raise TenantScopeError("customer data queried without a tenant in scope")
    state.statement = state.statement.options(with_loader_criteria(
        TenantOwned, lambda cls: cls.tenant_id == tenant_id, include_aliases=True, track_closure_variables=True))


def _stamp_new_rows(session: Session, _context, _instances) -> None:
    tenant_id = session.info.get(TENANT_KEY)
    for obj in session.new:
        if not isinstance(obj, TenantOwned):
            continue
        if tenant_id is None:
            raise TenantScopeError(f"new {type(obj).__name__} without a tenant in scope")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantScopeError(f"{type(obj).__name__} for tenant {obj.tenant_id} written in tenant {tenant_id}")


def _after_begin(session: Session, _transaction, connection) -> None:
    _mirror_to_postgres(session, connection)


def install() -> None:
    if not event.contains(Session, "do_orm_execute", _scope_statement):
        event.listen(Session, "do_orm_execute", _scope_statement)
        event.listen(Session, "before_flush", _stamp_new_rows)
        event.listen(Session, "after_begin", _after_begin)


def rls_statements(table: str) -> list[str]:
    """PostgreSQL row-level security for one tenant table (used by migrations)."""
    check = ("current_setting('app.all_tenants', true) = 'on' OR "
             "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer")
    return [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY tenant_isolation ON {table} USING ({check}) WITH CHECK ({check})"]


def drop_rls_statements(table: str) -> list[str]:
    return [f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
            f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"]


def scope_request() -> None:
    """before_request: a tenant user's requests run in their tenant; everyone else's in none."""
    from flask_login import current_user

    set_tenant(current_user.tenant_id if current_user.is_authenticated and current_user.tenant_id else None)
