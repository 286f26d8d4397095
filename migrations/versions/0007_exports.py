"""exports: the export log (who, what, filter, rows, file hash, link expiry)

Revision ID: 0007
Revises: 0009
Create Date: 2026-11-26 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types
from webapp.tenancy import drop_rls_statements, rls_statements


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('entity', sa.String(length=20), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('file_path', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('task_id', sa.String(length=100), nullable=True),
    sa.Column('finished_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('purged_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("entity IN ('contacts', 'companies')", name=op.f('ck_exports_entity_known')),
    sa.CheckConstraint("format IN ('csv', 'xlsx', 'xml')", name=op.f('ck_exports_format_known')),
    sa.CheckConstraint('row_count IS NULL OR row_count >= 0', name=op.f('ck_exports_row_count_not_negative')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_exports_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_exports_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exports')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exports_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index('ix_exports_tenant_created', ['tenant_id', 'created_at'], unique=False)

    if op.get_bind().dialect.name == "postgresql":  # the second tenant wall, as on contacts and companies
        for statement in rls_statements("exports"):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in drop_rls_statements("exports"):
            op.execute(statement)
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.drop_index('ix_exports_tenant_created')
        batch_op.drop_index(batch_op.f('ix_exports_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_exports_expires_at'))

    op.drop_table('exports')
