"""audit: append-only audit log of tenant records, and its unlock table

Revision ID: 0006
Revises: 0007
Create Date: 2026-11-25 14:00:00.000000

The database keeps ``audit_log`` append-only (SQLite and PostgreSQL alike):
- UPDATE is refused unless it is a redaction: ``changes`` set to NULL, every other column kept;
- DELETE is refused unless the transaction holds a row in ``audit_log_unlock``
  (``webapp.audit.services.unlocked``: e.g. deleting a tenant, whose rows cascade);
- PostgreSQL also refuses TRUNCATE, and puts the table under the tenant row-level security.

A later migration that rebuilds ``audit_log`` in SQLite batch mode drops its triggers: recreate
them there (``SQLITE_TRIGGERS``).
"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types
from webapp.tenancy import drop_rls_statements, rls_statements


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = "0007"
branch_labels = None
depends_on = None

KEPT = ("id", "tenant_id", "occurred_at", "actor_user_id", "actor_job", "record_type", "record_id", "action",
        "batch_id", "via", "note")
MESSAGE = "audit_log is append-only"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT (NEW.changes IS NULL AND {' AND '.join(f'NEW.{c} IS OLD.{c}' for c in KEPT)})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: only a redaction (changes to NULL) is allowed'); END""",
    f"""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN NOT EXISTS (SELECT 1 FROM audit_log_unlock)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: delete only inside webapp.audit.services.unlocked()'); END""",
)

POSTGRES_GUARD = (
    f"""CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF NEW.changes IS NULL AND (to_jsonb(NEW) - 'changes') = (to_jsonb(OLD) - 'changes') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: only a redaction (changes to NULL) is allowed'
          USING ERRCODE = 'integrity_constraint_violation';
      ELSIF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM audit_log_unlock) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: delete only inside webapp.audit.services.unlocked()'
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
)


def upgrade():
    op.create_table('audit_log_unlock',
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_audit_log_unlock'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('occurred_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_job', sa.String(length=80), nullable=True),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.BigInteger(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('changes', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('batch_id', sa.String(length=32), nullable=True),
    sa.Column('via', sa.String(length=60), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("action IN ('create', 'update', 'trash', 'restore', 'purge', 'erase')",
                       name=op.f('ck_audit_log_action_known')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_audit_log_tenant_id_tenants'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_tenant_newest', ['tenant_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_tenant_record', ['tenant_id', 'record_type', 'record_id', 'id'],
                              unique=False)
        batch_op.create_index('ix_audit_log_tenant_occurred_at', ['tenant_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_audit_log_tenant_batch', ['tenant_id', 'batch_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for statement in (*POSTGRES_GUARD, *rls_statements("audit_log")):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in drop_rls_statements("audit_log"):
            op.execute(statement)
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_tenant_batch')
        batch_op.drop_index('ix_audit_log_tenant_occurred_at')
        batch_op.drop_index('ix_audit_log_tenant_record')
        batch_op.drop_index('ix_audit_log_tenant_newest')

    op.drop_table('audit_log')
    op.drop_table('audit_log_unlock')
