"""Inserting a batch of imported contacts with their audit rows, set-based.

PostgreSQL: the batch goes with ``COPY`` into a temporary table, then ONE statement inserts the
contacts and, from its ``RETURNING``, their ``create`` rows of the audit trail (the same rows
``webapp.audit`` writes for an ORM insert: every audited field that has a value, as
``[null, value]``; time and actor from ``capture.stamp``). It runs on the session's connection,
inside the import's transaction and tenant scope, so row-level security checks every row.
Other databases: the ORM bulk insert, which ``webapp.audit.bulk`` audits.
"""

from __future__ import annotations

from sqlalchemy import insert

from webapp.audit import capture, registry
from webapp.crm.models import Company, Contact
from webapp.extensions import db

CONTACT_COLUMNS = ("tenant_id", "first_name", "last_name", "email", "phone", "company_id", "created_at")
COMPANY_COLUMNS = ("tenant_id", "name", "created_at")


def insert_contacts(batch: list[dict]) -> list[int]:
    """Insert ``batch`` (dicts of ``CONTACT_COLUMNS``); returns the new ids in the batch's order."""
    return insert_rows(Contact, CONTACT_COLUMNS, batch)


def insert_companies(batch: list[dict]) -> list[int]:
    """Insert ``batch`` (dicts of ``COMPANY_COLUMNS``); returns the new ids in the batch's order."""
    return insert_rows(Company, COMPANY_COLUMNS, batch)


def insert_rows(model: type, columns: tuple[str, ...], batch: list[dict]) -> list[int]:
    if not batch:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        return _copy_insert(model, columns, batch)
    result = db.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), batch)
    return [row[0] for row in result]


def _changes_sql(fields: tuple[str, ...]):
    """``{"field": [null, value], ...}`` of the fields that have a value, built in SQL."""
    from psycopg import sql

    pairs = [sql.SQL("{key}, CASE WHEN new.{col} IS NULL THEN NULL ELSE jsonb_build_array(NULL, to_jsonb(new.{col})) "
                     "END").format(key=sql.Literal(field), col=sql.Identifier(field)) for field in fields]
    return sql.SQL("jsonb_strip_nulls(jsonb_build_object({}))::json").format(sql.SQL(", ").join(pairs))


def _statement(table: str, stage: str, columns: tuple[str, ...], fields: tuple[str, ...]):
    from psycopg import sql

    listed = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    returned = sql.SQL(", ").join(sql.Identifier(c) for c in dict.fromkeys(("id", "tenant_id", *fields)))
    return sql.SQL(
        "WITH new AS (INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} ORDER BY n "
        "RETURNING {returned}), "
        "logged AS (INSERT INTO audit_log (tenant_id, occurred_at, actor_user_id, actor_job, record_type, "
        "record_id, action, changes) SELECT new.tenant_id, %(at)s, %(user_id)s, %(job)s, %(type)s, new.id, "
        "'create', {changes} FROM new) "
        "SELECT id FROM new ORDER BY id").format(table=sql.Identifier(table), columns=listed,
                                                 stage=sql.Identifier(stage), returned=returned,
                                                 changes=_changes_sql(fields))


def _copy_insert(model: type, columns: tuple[str, ...], batch: list[dict]) -> list[int]:
    from psycopg import sql

    spec, table = registry.spec_for(model), model.__tablename__
    stage = f"import_stage_{table}"
    listed = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    stamp = capture.stamp(db.session())
    connection = db.session.connection().connection.driver_connection  # the import's transaction
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
                               "SELECT 0 AS n, {columns} FROM {table} WITH NO DATA").format(
            stage=sql.Identifier(stage), columns=listed, table=sql.Identifier(table)))
        cursor.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(stage)))
        with cursor.copy(sql.SQL("COPY {} (n, {}) FROM STDIN").format(sql.Identifier(stage), listed)) as copy:
            for number, row in enumerate(batch):
                copy.write_row((number, *(row[c] for c in columns)))
        cursor.execute(_statement(table, stage, columns, spec.fields), {
            "at": stamp["occurred_at"], "user_id": stamp["actor_user_id"], "job": stamp["actor_job"],
            "type": spec.name})
        return [row[0] for row in cursor.fetchall()]
