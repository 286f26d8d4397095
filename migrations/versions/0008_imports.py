"""imports: one record per uploaded CSV/XLSX file (mapping, mode, status, counts, report)

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-25 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.db  # noqa: F401 - custom column types
from webapp.tenancy import drop_rls_statements, rls_statements


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_format', sa.String(length=10), nullable=False),
    sa.Column('encoding', sa.String(length=20), nullable=True),
    sa.Column('encoding_guessed', sa.Boolean(), nullable=False),
    sa.Column('delimiter', sa.String(length=1), nullable=True),
    sa.Column('headers_json', sa.Text(), nullable=False),
    sa.Column('mapping_json', sa.Text(), nullable=True),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=100), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_imported', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('error_code', sa.String(length=40), nullable=True),
    sa.Column('error_params_json', sa.Text(), nullable=True),
    sa.Column('report_name', sa.String(length=80), nullable=True),
    sa.Column('finished_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('files_deleted_at', webapp.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', webapp.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("file_format IN ('csv', 'xlsx')", name=op.f('ck_import_records_format_known')),
    sa.CheckConstraint("mode IN ('all_or_nothing', 'valid_rows')", name=op.f('ck_import_records_mode_known')),
    sa.CheckConstraint("status IN ('uploaded', 'queued', 'running', 'imported', 'rejected', 'failed')", name=op.f('ck_import_records_status_known')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_import_records_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_records_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_records')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_import_records_stored_name'))
    )
    with op.batch_alter_table('import_records', schema=None) as batch_op:
        batch_op.create_index('ix_import_records_tenant_created', ['tenant_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_records_user_id'), ['user_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in rls_statements("import_records"):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in drop_rls_statements("import_records"):
            op.execute(statement)
    with op.batch_alter_table('import_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_records_user_id'))
        batch_op.drop_index('ix_import_records_tenant_created')

    op.drop_table('import_records')
